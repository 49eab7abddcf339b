import type { Redis } from 'ioredis';
import { planKey, refOf, type PlanEvent } from '@planledger/core';
import type { RedisKeys } from '@planledger/core/redis';
import type { ProjectionRunner } from './createProjectionRunner.js';

export interface ReplayProgress {
  readonly events: number;
  readonly partitionsDone: number;
  readonly partitions: number;
}

export interface ReplayOptions {
  readonly redis: Redis;
  readonly keys: RedisKeys;
  /** A runner over the target being rebuilt, with its own (fresh) state. */
  readonly runner: ProjectionRunner;
  /** Where to start in each partition's log (exclusive); absent: from the beginning. */
  readonly after?: ReadonlyMap<number, string>;
  readonly batchSize?: number;
  /** How many partitions replay at once. */
  readonly concurrency?: number;
  readonly onProgress?: (progress: ReplayProgress) => void;
}

/**
 * Feeds a projection straight from the log: every partition read in order with XRANGE up to its
 * current end, through the same runner the live consumers use. Within a batch, different plans
 * are applied concurrently (so their writes share bulk requests) while each plan's events stay in
 * order. Returns the last position read per partition, to continue from, and how many events it fed.
 */
export async function replayProjection({ redis, keys, runner, after = new Map(), batchSize = 500, concurrency = 4, onProgress }: ReplayOptions): Promise<{ positions: Map<number, string>; events: number }> {
  const positions = new Map(after);
  const queue = Array.from({ length: keys.partitions }, (_, partition) => partition);
  let events = 0;
  let partitionsDone = 0;

  const replayPartition = async (partition: number) => {
    const stream = keys.log(partition);
    for (;;) {
      const from = positions.get(partition);
      const entries = await redis.xrange(stream, from ? `(${from}` : '-', '+', 'COUNT', batchSize);
      if (entries.length === 0) break;
      const byPlan = new Map<string, PlanEvent[]>();
      for (const [, fields] of entries) {
        const json = fields[fields.indexOf('event') + 1];
        if (json === undefined) continue;
        const event = JSON.parse(json) as PlanEvent;
        const plan = planKey(refOf(event));
        const chain = byPlan.get(plan);
        if (chain) chain.push(event);
        else byPlan.set(plan, [event]);
      }
      await Promise.all(
        [...byPlan.values()].map(async (chain) => {
          for (const event of chain) await runner.handle(event);
        }),
      );
      positions.set(partition, entries.at(-1)![0]);
      events += entries.length;
      onProgress?.({ events, partitionsDone, partitions: keys.partitions });
    }
    partitionsDone += 1;
    onProgress?.({ events, partitionsDone, partitions: keys.partitions });
  };

  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let partition = queue.shift(); partition !== undefined; partition = queue.shift()) await replayPartition(partition);
    }),
  );
  return { positions, events };
}
