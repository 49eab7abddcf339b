import { partitionOf } from '../../partitionOf.js';

/**
 * Every key of one plan and its partition's log share the hash tag `{pN}`, so each atomic step
 * touches one Redis Cluster slot.
 */
export interface RedisKeys {
  readonly prefix: string;
  readonly partitions: number;
  partitionOf(planId: string): number;
  /** The partition's log stream: every event of every plan in the partition, in order. */
  log(partition: number): string;
  /** The plan's head: version, current document. */
  head(planId: string): string;
  /** The plan's own events, version n at index n-1. */
  history(planId: string): string;
  /** The plan's event times (score: ms) to versions, for time travel by date. */
  times(planId: string): string;
  /** The plan's document every K versions (field: version). */
  snapshots(planId: string): string;
  /** The outcome of a write made with an idempotency key (`key` is already scoped and hashed). */
  idempotency(planId: string, key: string): string;
  /** Which relay instance serves a partition (a lease with a TTL). */
  relayLease(partition: number): string;
  /** A projection's last applied state of a plan. */
  projectionState(projection: string, planId: string): string;
  /** A projection's last applied log position in a partition. */
  checkpoint(projection: string, partition: number): string;
}

export function createRedisKeys({ prefix, partitions }: { prefix: string; partitions: number }): RedisKeys {
  const tag = (partition: number) => `${prefix}:{p${partition}}`;
  const planTag = (planId: string) => tag(partitionOf(planId, partitions));
  return {
    prefix,
    partitions,
    partitionOf: (planId) => partitionOf(planId, partitions),
    log: (partition) => `${tag(partition)}:log`,
    head: (planId) => `${planTag(planId)}:head:${planId}`,
    history: (planId) => `${planTag(planId)}:history:${planId}`,
    times: (planId) => `${planTag(planId)}:times:${planId}`,
    snapshots: (planId) => `${planTag(planId)}:snapshots:${planId}`,
    idempotency: (planId, key) => `${planTag(planId)}:idempotency:${key}`,
    relayLease: (partition) => `${tag(partition)}:relay-lease`,
    projectionState: (projection, planId) => `${planTag(planId)}:projection:${projection}:${planId}`,
    checkpoint: (projection, partition) => `${tag(partition)}:checkpoint:${projection}`,
  };
}
