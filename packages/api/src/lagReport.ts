import { readProjectionLag, readRelayLag, type PartitionLag, type PartitionLog } from '@planledger/core';
import { PROJECTION_NAMES } from '@planledger/projector/projections';

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

export interface LagReportOptions {
  readonly log: PartitionLog;
  /** A projection's checkpoint in a partition. */
  readonly checkpoint: (projection: string, partition: number) => Promise<string | null>;
  /** The projections to report (default: every projection of the registry). */
  readonly projections?: readonly string[];
}

const summarize = (partitions: PartitionLag[]): LagSummary => ({
  entries: partitions.reduce((sum, p) => sum + p.entries, 0),
  maxMs: Math.max(0, ...partitions.map((p) => p.ms)),
  partitions,
});

/** How far the relay and each projection are behind the log, per partition. */
export function createLagReport({ log, checkpoint, projections = PROJECTION_NAMES }: LagReportOptions): () => Promise<LagReport> {
  return async () => {
    const [relay, ...lags] = await Promise.all([readRelayLag(log), ...projections.map((name) => readProjectionLag(log, (partition) => checkpoint(name, partition)))]);
    return { relay: summarize(relay ?? []), projections: Object.fromEntries(projections.map((name, i) => [name, summarize(lags[i] ?? [])])) };
  };
}
