import type { Logger, PartitionLeaseStore } from '@planledger/core';
import { createPartitionShare } from './createPartitionShare.js';

/** Something that serves partitions one by one (a projection's consumer). */
export interface PartitionWorker {
  start(partition: number): Promise<void>;
  /** Stops serving the partition once what it took from it has settled. */
  handOver(partition: number): Promise<void>;
  partitions(): number[];
}

export interface ServePartitionsOptions {
  readonly store: PartitionLeaseStore;
  readonly member: string;
  readonly role: string;
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  /** Every worker serves the same partitions: one lease per partition covers them all. */
  readonly workers: readonly PartitionWorker[];
  readonly logger: Logger;
  readonly onChange?: (partitions: number[]) => void;
}

export interface ServingPartitions {
  /** The partitions held now. */
  owned(): number[];
  /** Hands every partition over (workers settle, then leases are released) and leaves the membership. */
  stop(): Promise<void>;
}

/**
 * Runs a partition share for workers that consume partitions on their own (the projector's
 * projections): every heartbeat it refreshes the share and starts, on every worker, the
 * partitions newly held; the share's hand-over stops them on every worker before their lease is
 * released. A round that fails (Redis away) is logged and retried; after a whole lease without a
 * renewal the share stops every partition itself.
 */
export function servePartitions(options: ServePartitionsOptions): ServingPartitions {
  const { workers, logger, heartbeatMs } = options;
  const share = createPartitionShare({
    ...options,
    handOver: async (partitions) => void (await Promise.all(workers.flatMap((worker) => partitions.map((partition) => worker.handOver(partition))))),
  });
  let stopping = false;
  let wake = () => {};
  const loop = (async () => {
    while (!stopping) {
      try {
        const held = await share.refresh();
        if (!stopping) await Promise.all(workers.flatMap((worker) => held.filter((p) => !worker.partitions().includes(p)).map((p) => worker.start(p))));
      } catch (error) {
        logger.warn({ role: options.role, err: error }, 'partition share round failed; retrying');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, heartbeatMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    owned: () => share.owned(),
    async stop() {
      stopping = true;
      wake();
      await loop;
      await share.releaseAll();
    },
  };
}
