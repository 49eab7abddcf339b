import { comparePositions } from '../comparePositions.js';
import type { GroupCursor, LogEntry, PartitionLog } from '../ports/PartitionLog.js';

interface Group {
  /** Index of the next entry to deliver. */
  next: number;
  /** Pending entries (position → consumer), in delivery order. */
  readonly pending: Map<string, string>;
}

/** The in-memory twin of the partition logs. Same contract as the Redis Streams adapter. */
export class InMemoryPartitionLog implements PartitionLog {
  private readonly entries: LogEntry[][];
  private readonly groups = new Map<string, Group>();
  private readonly waiters = new Set<() => void>();
  private sequence = 0;

  constructor(readonly partitions: number) {
    this.entries = Array.from({ length: partitions }, () => []);
  }

  /** Appends an event's JSON to a partition; returns its position. */
  append(partition: number, json: string): string {
    this.sequence += 1;
    const position = `${this.sequence}-0`;
    this.entriesOf(partition).push({ partition, position, json });
    for (const wake of [...this.waiters]) wake();
    return position;
  }

  async read(partition: number, { after, count }: { after: string | null; count: number }): Promise<LogEntry[]> {
    return this.entriesOf(partition).filter((entry) => after === null || comparePositions(entry.position, after) > 0).slice(0, count);
  }

  async length(partition: number): Promise<number> {
    return this.entriesOf(partition).length;
  }

  async deliver(group: string, consumer: string, partitions: readonly number[], { count, blockMs }: { count: number; blockMs: number }): Promise<LogEntry[]> {
    const take = () =>
      partitions.flatMap((partition) => {
        const state = this.group(group, partition);
        const fresh = this.entriesOf(partition).slice(state.next, state.next + count);
        state.next += fresh.length;
        for (const entry of fresh) state.pending.set(entry.position, consumer);
        return fresh;
      });
    const now = take();
    if (now.length > 0 || blockMs <= 0) return now;
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, blockMs);
      this.waiters.add(wake);
    });
    return take();
  }

  async pending(group: string, consumer: string, partition: number, { count }: { count: number }): Promise<LogEntry[]> {
    const state = this.group(group, partition);
    const mine = new Set([...state.pending].filter(([, owner]) => owner === consumer).map(([position]) => position));
    return this.entriesOf(partition).filter((entry) => mine.has(entry.position)).slice(0, count);
  }

  async claimPending(group: string, consumer: string, partition: number): Promise<number> {
    const state = this.group(group, partition);
    for (const position of state.pending.keys()) state.pending.set(position, consumer);
    return state.pending.size;
  }

  async ack(group: string, partition: number, positions: readonly string[]): Promise<void> {
    const state = this.group(group, partition);
    for (const position of positions) state.pending.delete(position);
  }

  async cursor(group: string, partition: number): Promise<GroupCursor | null> {
    const state = this.groups.get(`${group}\u0000${partition}`);
    if (!state) return null;
    const pending = [...state.pending.keys()].sort(comparePositions);
    return { oldestPending: pending[0] ?? null, lastDelivered: this.entriesOf(partition)[state.next - 1]?.position ?? null };
  }

  private entriesOf(partition: number): LogEntry[] {
    const entries = this.entries[partition];
    if (!entries) throw new RangeError(`No partition ${partition} (of ${this.partitions}).`);
    return entries;
  }

  private group(group: string, partition: number): Group {
    this.entriesOf(partition);
    const key = `${group}\u0000${partition}`;
    let state = this.groups.get(key);
    if (!state) this.groups.set(key, (state = { next: 0, pending: new Map() }));
    return state;
  }
}
