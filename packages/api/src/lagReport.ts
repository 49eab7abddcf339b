import { readProjectionLag, readRelayLag, type PartitionLag, type PartitionLog } from '@planledger/core';
import { PROJECTION_NAMES } from '@planledger/projector/projections';

export interface LagSummary {
  /** Entries behind, summed over partitions (each partition's count is capped). */
  readonly entries: number;
  /** Age of the oldest entry not yet handled, over all partitions (ms). */
  readonly maxMs: number;
  readonly partitions: PartitionLag[];
}

/** Who serves which partitions, for one role (relay or projector). */
export interface PartitionOwners {
  /** Instance name → its partitions (ascending). */
  readonly owners: Record<string, number[]>;
  /** Partitions nobody holds a lease on right now (between a hand-over and the take-over). */
  readonly free: number[];
}

export type SharingRole = 'relay' | 'projector';

export interface LagReport {
  readonly relay: LagSummary;
  readonly projections: Record<string, LagSummary>;
  /** Present when the report was given the partition leases. */
  readonly partitions?: Record<SharingRole, PartitionOwners>;
}

export interface LagReportOptions {
  readonly log: PartitionLog;
  /** A projection's checkpoint in a partition. */
  readonly checkpoint: (projection: string, partition: number) => Promise<string | null>;
  /** The projections to report (default: every projection of the registry). */
  readonly projections?: readonly string[];
  /** Who holds each partition's lease, per role (null: free). */
  readonly holders?: (role: SharingRole) => Promise<(string | null)[]>;
}

const ownersOf = (holders: readonly (string | null)[]): PartitionOwners => {
  const owners: Record<string, number[]> = {};
  const free: number[] = [];
  holders.forEach((holder, partition) => (holder === null ? free.push(partition) : (owners[holder] ??= []).push(partition)));
  return { owners, free };
};

const summarize = (partitions: PartitionLag[]): LagSummary => ({
  entries: partitions.reduce((sum, p) => sum + p.entries, 0),
  maxMs: Math.max(0, ...partitions.map((p) => p.ms)),
  partitions,
});

/** How far the relay and each projection are behind the log, per partition. */
export function createLagReport({ log, checkpoint, projections = PROJECTION_NAMES, holders }: LagReportOptions): () => Promise<LagReport> {
  return async () => {
    const [relay, ...lags] = await Promise.all([readRelayLag(log), ...projections.map((name) => readProjectionLag(log, (partition) => checkpoint(name, partition)))]);
    const report = { relay: summarize(relay ?? []), projections: Object.fromEntries(projections.map((name, i) => [name, summarize(lags[i] ?? [])])) };
    if (!holders) return report;
    const [relays, projectors] = await Promise.all([holders('relay'), holders('projector')]);
    return { ...report, partitions: { relay: ownersOf(relays), projector: ownersOf(projectors) } };
  };
}
