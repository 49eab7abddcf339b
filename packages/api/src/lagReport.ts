import type { Redis } from 'ioredis';
import { readProjectionLag, readRelayLag, type PartitionLag, type RedisKeys } from '@planledger/core/redis';
import { PROJECTIONS } from '@planledger/core/rabbitmq';

export interface LagSummary {
  /** Entries behind, summed over partitions (each partition's count is capped). */
  readonly entries: number;
  /** Age of the oldest entry not yet handled, over all partitions (ms). */
  readonly maxMs: number;
  readonly partitions: PartitionLag[];
}

export interface LagReport {
  readonly relay: LagSummary;
  readonly projections: Record<string, LagSummary>;
}

const summarize = (partitions: PartitionLag[]): LagSummary => ({
  entries: partitions.reduce((sum, p) => sum + p.entries, 0),
  maxMs: Math.max(0, ...partitions.map((p) => p.ms)),
  partitions,
});

/** How far the relay and each projection are behind the log, per partition. */
export function createLagReport({ redis, keys }: { redis: Redis; keys: RedisKeys }): () => Promise<LagReport> {
  return async () => {
    const [relay, ...projections] = await Promise.all([readRelayLag(redis, keys), ...PROJECTIONS.map((name) => readProjectionLag(redis, keys, name))]);
    return { relay: summarize(relay ?? []), projections: Object.fromEntries(PROJECTIONS.map((name, i) => [name, summarize(projections[i] ?? [])])) };
  };
}
