import type { Redis } from 'ioredis';
import type { RedisKeys } from './redisKeys.js';

export interface PartitionLag {
  readonly partition: number;
  /** Log entries not yet confirmed (relay) or applied (projection); capped at `cap`. */
  readonly entries: number;
  /** Age of the oldest such entry, in milliseconds (0 when caught up). */
  readonly ms: number;
}

/** Log entries are ids `<ms>-<seq>`: how old an entry is. */
const ageOf = (id: string, now: number) => Math.max(0, now - Number(id.split('-')[0]));

/** How far a consumer is behind each partition's log: the entries after `position`, counted up to `cap`. */
async function lagAfter(redis: Redis, stream: string, position: string | null, cap: number, now: number): Promise<{ entries: number; ms: number }> {
  const after = await redis.xrange(stream, position ? `(${position}` : '-', '+', 'COUNT', cap);
  return { entries: after.length, ms: after[0] ? ageOf(after[0][0], now) : 0 };
}

/** The relay's lag per partition: entries its consumer group has not delivered or not yet acknowledged. */
export async function readRelayLag(redis: Redis, keys: RedisKeys, { group = 'relay', cap = 10_000, now = Date.now() } = {}): Promise<PartitionLag[]> {
  return Promise.all(
    Array.from({ length: keys.partitions }, async (_, partition) => {
      const stream = keys.log(partition);
      const groups = ((await redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[][]).map(fieldsOf);
      const info = groups.find((g) => g.name === group);
      // Everything after the oldest unacknowledged entry, or after the last delivered one.
      const pending = info ? ((await redis.xpending(stream, group, '-', '+', 1)) as [string, ...unknown[]][]) : [];
      const oldest = pending[0]?.[0];
      const from = oldest ? previousId(oldest) : ((info?.['last-delivered-id'] as string | undefined) ?? null);
      return { partition, ...(await lagAfter(redis, stream, from, cap, now)) };
    }),
  );
}

/** A projection's lag per partition: entries after its checkpoint. */
export async function readProjectionLag(redis: Redis, keys: RedisKeys, projection: string, { cap = 10_000, now = Date.now() } = {}): Promise<PartitionLag[]> {
  return Promise.all(
    Array.from({ length: keys.partitions }, async (_, partition) => {
      const checkpoint = await redis.get(keys.checkpoint(projection, partition));
      return { partition, ...(await lagAfter(redis, keys.log(partition), checkpoint, cap, now)) };
    }),
  );
}

function fieldsOf(flat: unknown[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = flat[i + 1];
  return fields;
}

/** The id just before `id`, so an exclusive range starting after it includes `id`. */
function previousId(id: string): string {
  const [ms, seq] = id.split('-').map(Number) as [number, number];
  return seq > 0 ? `${ms}-${seq - 1}` : `${ms - 1}-18446744073709551615`;
}
