/**
 * Where the instances of one role (relay, projector) meet to share the partitions: each instance
 * heartbeats its membership, and each partition has a lease naming its one holder. Both lapse
 * after their TTL unless renewed, so a crashed instance drops out on its own. Contract:
 * - `heartbeat` records `member` as live for `ttlMs` and returns every live member, sorted.
 * - `leave` removes `member` at once.
 * - `acquire` takes the partition's lease for `member` when it is free, renews it when `member`
 *   already holds it, and otherwise changes nothing; it resolves to whether `member` holds it now.
 * - `release` frees the lease only if `member` holds it.
 * - `holders` returns who holds each partition's lease (null when free), by partition.
 * Time is the store's own (one clock for every instance).
 */
export interface PartitionLeaseStore {
  readonly partitions: number;
  heartbeat(member: string, ttlMs: number): Promise<string[]>;
  leave(member: string): Promise<void>;
  acquire(partition: number, member: string, ttlMs: number): Promise<boolean>;
  release(partition: number, member: string): Promise<void>;
  holders(): Promise<(string | null)[]>;
}
