import { comparePositions } from '@planledger/core';
import { RedisProjectionState, type RedisClient, type RedisKeys } from '@planledger/core/redis';

/** Where each partition's log ends now (null: empty). */
export async function logEnds(redis: RedisClient, keys: RedisKeys): Promise<(string | null)[]> {
  return Promise.all(Array.from({ length: keys.partitions }, async (_, partition) => (await redis.xrevrange(keys.log(partition), '+', '-', 'COUNT', 1))[0]?.[0] ?? null));
}

export interface CheckpointWait {
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly projection: string;
  /** Per partition, the position the projection's checkpoint must reach (null: nothing to reach). */
  readonly ends: readonly (string | null)[];
  readonly timeoutMs: number;
  /** Give up once no checkpoint moved for this long (no projector running); default never. */
  readonly stillMs?: number;
  readonly signal?: AbortSignal;
}

/** Waits until the projection's checkpoint in every partition is at or past `ends`; false when it gave up first. */
export async function checkpointsPassed({ redis, keys, projection, ends, timeoutMs, stillMs = Number.POSITIVE_INFINITY, signal }: CheckpointWait): Promise<boolean> {
  const state = new RedisProjectionState(redis, keys, projection);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let movedAt = Date.now();
  for (;;) {
    signal?.throwIfAborted();
    const checkpoints = await Promise.all(ends.map((_, partition) => state.checkpoint(partition).catch(() => null)));
    if (ends.every((end, partition) => end === null || comparePositions(checkpoints[partition] ?? '0-0', end) >= 0)) return true;
    const now = Date.now();
    if (checkpoints.join() !== last) [last, movedAt] = [checkpoints.join(), now];
    if (now > deadline || now - movedAt > stillMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
