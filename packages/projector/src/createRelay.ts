import type { LogEntry, Logger, PartitionLog } from '@planledger/core';
import type { PartitionLeases } from './createPartitionShare.js';

/** Where the relay publishes: persistent messages, routed by partition, confirmed by the broker. */
export interface RelayPublisher {
  publish(entry: LogEntry): void;
  /** Resolves once the broker confirmed everything published so far; rejects if it refused any. */
  confirmed(): Promise<void>;
}

export interface RelayOptions {
  /** The partition logs; the relay blocks on them, so they must not share a connection with anything else. */
  readonly log: PartitionLog;
  readonly publisher: RelayPublisher;
  /** Which partitions this instance serves (leases). */
  readonly leases: PartitionLeases;
  /** This instance's consumer name; stable across restarts so it finds its own pending entries. */
  readonly consumer: string;
  readonly group?: string;
  readonly batchSize?: number;
  readonly blockMs?: number;
  readonly logger: Logger;
  /** Called after each confirmed batch (for metrics). */
  readonly onPublished?: (partition: number, count: number) => void;
}

export interface Relay {
  /** Runs until `stop()`; rejects if the log or the broker fails. */
  run(): Promise<void>;
  stop(): Promise<void>;
  /** The partitions this instance serves right now. */
  owned(): number[];
}

/**
 * Republishes the partition logs to the broker. Each partition is served by one relay instance at
 * a time (a lease); the instance takes delivery of new entries as a member of a consumer group,
 * publishes each as a persistent message, waits for the broker's confirms, and only then
 * acknowledges them in the log. When it takes over a partition it first claims and re-publishes
 * what a crashed instance left pending, in log order. Delivery is at least once; projectors skip
 * duplicates.
 */
export function createRelay(options: RelayOptions): Relay {
  const { log, publisher, leases, consumer, group = 'relay', batchSize = 200, blockMs = 1000, logger } = options;
  const recovered = new Set<number>();
  let stopping = false;
  let running: Promise<void> | null = null;

  const publish = async (entries: LogEntry[]): Promise<number> => {
    const sent = entries.filter((entry) => entry.json !== '');
    for (const entry of sent) publisher.publish(entry);
    if (sent.length > 0) await publisher.confirmed();
    const byPartition = new Map<number, string[]>();
    for (const entry of entries) byPartition.set(entry.partition, [...(byPartition.get(entry.partition) ?? []), entry.position]);
    for (const [partition, positions] of byPartition) {
      await log.ack(group, partition, positions);
      options.onPublished?.(partition, positions.length);
    }
    return entries.length;
  };

  /** Takes over what earlier owners of the partition left pending, then publishes it in log order. */
  const recover = async (partition: number) => {
    const claimed = await log.claimPending(group, consumer, partition);
    let republished = 0;
    for (;;) {
      const count = await publish(await log.pending(group, consumer, partition, { count: batchSize }));
      if (count === 0) break;
      republished += count;
    }
    if (republished > 0) logger.info({ partition, claimed, republished }, 'relay re-published entries left pending');
    recovered.add(partition);
  };

  const loop = async () => {
    while (!stopping) {
      const owned = await leases.refresh();
      for (const partition of owned) if (!recovered.has(partition)) await recover(partition);
      for (const partition of recovered) if (!owned.includes(partition)) recovered.delete(partition);
      if (owned.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, blockMs));
        continue;
      }
      await publish(await log.deliver(group, consumer, owned, { count: batchSize, blockMs }));
    }
  };

  return {
    run() {
      running = loop();
      return running;
    },
    async stop() {
      stopping = true;
      await running?.catch(() => undefined);
      await leases.releaseAll();
    },
    owned: () => leases.owned(),
  };
}
