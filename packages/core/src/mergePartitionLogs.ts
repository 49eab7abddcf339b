import { comparePositions } from './comparePositions.js';
import type { PartitionPositions } from './changeCursor.js';
import type { LogEntry, PartitionLog } from './ports/PartitionLog.js';

export interface MergeOptions {
  /** Where each partition starts: strictly after this position (null: from its start). */
  readonly after: PartitionPositions;
  /** Entries read from one partition at a time (XRANGE COUNT): memory is bounded by partitions × chunk. */
  readonly chunk: number;
  /** A partition ends before the first entry this says is past the end (e.g. past a time bound). */
  readonly pastEnd?: (position: string) => boolean;
}

/**
 * Every partition's entries as one sequence ordered by position (ties: lower partition first),
 * read lazily in bounded chunks. A partition is read until a read comes back short (its end at
 * that moment), so a scan of a log that keeps growing still ends. `positions` says, per
 * partition, the last entry handed out: resuming after them misses nothing.
 */
export class PartitionMerge {
  private readonly buffers: LogEntry[][];
  private readonly offsets: number[];
  private readonly open: boolean[];
  private readonly last: (string | null)[];

  constructor(private readonly log: PartitionLog, private readonly options: MergeOptions) {
    this.buffers = Array.from({ length: log.partitions }, () => []);
    this.offsets = Array.from({ length: log.partitions }, () => 0);
    this.open = Array.from({ length: log.partitions }, () => true);
    this.last = [...options.after];
  }

  get positions(): PartitionPositions {
    return [...this.last];
  }

  /** The next entry without taking it; null when every partition has ended. */
  async peek(): Promise<LogEntry | null> {
    await this.fill();
    let best: LogEntry | null = null;
    for (let partition = 0; partition < this.buffers.length; partition += 1) {
      const entry = this.buffers[partition]![this.offsets[partition]!];
      if (entry !== undefined && (best === null || comparePositions(entry.position, best.position) < 0)) best = entry;
    }
    return best;
  }

  /** Takes the next entry; null when every partition has ended. */
  async next(): Promise<LogEntry | null> {
    const entry = await this.peek();
    if (entry !== null) {
      this.offsets[entry.partition] = this.offsets[entry.partition]! + 1;
      this.last[entry.partition] = entry.position;
    }
    return entry;
  }

  /** Reads the next chunk of every open partition whose buffer is used up, all at once. */
  private async fill(): Promise<void> {
    const { chunk, pastEnd } = this.options;
    const empty = this.buffers.flatMap((buffer, partition) => (this.open[partition] && this.offsets[partition]! >= buffer.length ? [partition] : []));
    await Promise.all(
      empty.map(async (partition) => {
        const read = await this.log.read(partition, { after: this.last[partition] ?? null, count: chunk });
        const end = pastEnd === undefined ? -1 : read.findIndex((entry) => pastEnd(entry.position));
        const kept = end < 0 ? read : read.slice(0, end);
        if (read.length < chunk || end >= 0) this.open[partition] = false;
        this.buffers[partition] = kept.map((entry) => (entry.partition === partition ? entry : { ...entry, partition }));
        this.offsets[partition] = 0;
      }),
    );
  }
}
