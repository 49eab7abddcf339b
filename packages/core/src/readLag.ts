import type { PartitionLog } from './ports/PartitionLog.js';

export interface PartitionLag {
  readonly partition: number;
  /** Log entries not yet confirmed (relay) or applied (projection); capped at `cap`. */
  readonly entries: number;
  /** Age of the oldest such entry, in milliseconds (0 when caught up). */
  readonly ms: number;
}

export interface LagOptions {
  readonly cap?: number;
  readonly now?: number;
}

/** Log positions are `<ms>-<seq>`: how old an entry is. */
const ageOf = (position: string, now: number) => Math.max(0, now - Number(position.split('-')[0]));

async function lagFrom(log: PartitionLog, partition: number, from: { after: string | null; including?: string | null }, cap: number, now: number): Promise<PartitionLag> {
  const entries = await log.read(partition, { after: from.after, count: cap });
  const count = entries.length + (from.including ? 1 : 0);
  const oldest = from.including ?? entries[0]?.position;
  return { partition, entries: Math.min(cap, count), ms: oldest ? ageOf(oldest, now) : 0 };
}

/** The relay's lag per partition: entries its consumer group has not delivered or not yet acknowledged. */
export async function readRelayLag(log: PartitionLog, { group = 'relay', cap = 10_000, now = Date.now() }: LagOptions & { group?: string } = {}): Promise<PartitionLag[]> {
  return Promise.all(
    Array.from({ length: log.partitions }, async (_, partition) => {
      const cursor = await log.cursor(group, partition);
      // Everything from the oldest unacknowledged entry, or after the last delivered one.
      if (cursor?.oldestPending) return lagFrom(log, partition, { after: cursor.oldestPending, including: cursor.oldestPending }, cap, now);
      return lagFrom(log, partition, { after: cursor?.lastDelivered ?? null }, cap, now);
    }),
  );
}

/** A projection's lag per partition: entries after its checkpoint. */
export async function readProjectionLag(log: PartitionLog, checkpoint: (partition: number) => Promise<string | null>, { cap = 10_000, now = Date.now() }: LagOptions = {}): Promise<PartitionLag[]> {
  return Promise.all(Array.from({ length: log.partitions }, async (_, partition) => lagFrom(log, partition, { after: await checkpoint(partition) }, cap, now)));
}
