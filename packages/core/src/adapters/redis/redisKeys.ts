import { partitionOf } from '../../partitionOf.js';
import { planKey, type PlanRef } from '../../planRef.js';

/**
 * Every key of one plan and its partition's log share the hash tag `{pN}`, so each atomic step
 * touches one Redis Cluster slot. A plan's keys end in its `planKey` (org and objectId), so two
 * orgs' plans with the same objectId never share a key.
 */
export interface RedisKeys {
  readonly prefix: string;
  readonly partitions: number;
  partitionOf(plan: PlanRef): number;
  /** The partition's log stream: every event of every plan in the partition, in order, each once (field `event`). */
  log(partition: number): string;
  /** The plan's head: version, current document. */
  head(plan: PlanRef): string;
  /** The plan's version records (a string, version n at byte (n-1)·W): where each event is in the log, and when it happened. */
  versions(plan: PlanRef): string;
  /** The plan's document every K versions (field: version). */
  snapshots(plan: PlanRef): string;
  /** The outcome of a write made with an idempotency key (`key` is already scoped and hashed). */
  idempotency(plan: PlanRef, key: string): string;
  /** Which request first used an idempotency key, whatever plan it named (own slot; `key` hashed). */
  idempotencyClaim(key: string): string;
  /** Which instance of a role (`relay`, `projector`) serves a partition (a lease with a TTL). */
  lease(role: string, partition: number): string;
  /** The live instances of a role (a sorted set of expiry times, one slot for the whole set). */
  members(role: string): string;
  /** A projection's last applied state of a plan. */
  projectionState(projection: string, plan: PlanRef): string;
  /** A projection's last applied log position in a partition. */
  checkpoint(projection: string, partition: number): string;
  /** What one target (e.g. one index of the temporal projection) holds of a plan. */
  targetState(target: string, plan: PlanRef): string;
  /** A pattern (SCAN MATCH) for every plan's `targetState` of a target. */
  targetStatePattern(target: string): string;
}

/** What follows `:head:` in a head key: the plan's `planKey`. */
export const HEAD_MARKER = ':head:';

export function createRedisKeys({ prefix, partitions }: { prefix: string; partitions: number }): RedisKeys {
  const tag = (partition: number) => `${prefix}:{p${partition}}`;
  // One write names several keys of one plan: its key and partition are worked out once per PlanRef.
  const located = new WeakMap<PlanRef, { readonly key: string; readonly partition: number }>();
  const locate = (plan: PlanRef) => {
    let found = located.get(plan);
    if (found === undefined) {
      const key = planKey(plan);
      located.set(plan, (found = { key, partition: partitionOf(key, partitions) }));
    }
    return found;
  };
  const partitionOfPlan = (plan: PlanRef) => locate(plan).partition;
  const scopedKey = (plan: PlanRef, kind: string) => {
    const { key, partition } = locate(plan);
    return `${tag(partition)}:${kind}:${key}`;
  };
  const planScoped = (kind: string) => (plan: PlanRef) => scopedKey(plan, kind);
  return {
    prefix,
    partitions,
    partitionOf: partitionOfPlan,
    log: (partition) => `${tag(partition)}:log`,
    head: (plan) => scopedKey(plan, HEAD_MARKER.slice(1, -1)),
    versions: planScoped('versions'),
    snapshots: planScoped('snapshots'),
    idempotency: (plan, key) => `${scopedKey(plan, 'idempotency')}:${key}`,
    idempotencyClaim: (key) => `${prefix}:idempotency-claim:${key}`,
    // `relay-lease` is the key the relay's leases always had, so older relays and newer ones exclude each other.
    lease: (role, partition) => `${tag(partition)}:${role}-lease`,
    members: (role) => `${prefix}:{members}:${role}`,
    projectionState: (projection, plan) => scopedKey(plan, `projection:${projection}`),
    checkpoint: (projection, partition) => `${tag(partition)}:checkpoint:${projection}`,
    targetState: (target, plan) => scopedKey(plan, `target:${target}`),
    targetStatePattern: (target) => `${prefix}:{p*}:target:${target}:*`,
  };
}
