/** One entry of a partition's log: an event's JSON at its position. */
export interface LogEntry {
  readonly partition: number;
  /** The entry's position in its partition (ordered by `comparePositions`). */
  readonly position: string;
  /** The event, as stored (JSON of a `PlanEvent`). */
  readonly json: string;
}

/** Where a consumer group stands in a partition. */
export interface GroupCursor {
  /** The oldest entry delivered to a consumer and not yet acknowledged; null when none. */
  readonly oldestPending: string | null;
  /** The last entry delivered to any consumer of the group; null before the first. */
  readonly lastDelivered: string | null;
}

/**
 * The partition logs as their readers see them: the relay (a consumer group that takes delivery
 * of new entries, acknowledges them once published, and takes over what a crashed member left
 * pending), replay (read a partition from a position, in order) and lag (how far a reader is
 * behind). Contract:
 * - `read` returns entries strictly after `after` (from the start when null), in log order.
 * - `deliver` waits up to `blockMs` for entries of the given partitions not yet delivered to the
 *   group, marks them pending on `consumer`, and returns them in log order per partition.
 * - `pending` returns entries pending on `consumer` (oldest first); `ack` removes them from pending.
 * - `claimPending` moves every entry pending on any member of the group to `consumer`.
 * - A group is created (at the start of the partition) the first time it is used.
 */
export interface PartitionLog {
  readonly partitions: number;
  read(partition: number, options: { after: string | null; count: number }): Promise<LogEntry[]>;
  /** How many entries the partition holds now. */
  length(partition: number): Promise<number>;
  deliver(group: string, consumer: string, partitions: readonly number[], options: { count: number; blockMs: number }): Promise<LogEntry[]>;
  pending(group: string, consumer: string, partition: number, options: { count: number }): Promise<LogEntry[]>;
  claimPending(group: string, consumer: string, partition: number): Promise<number>;
  ack(group: string, partition: number, positions: readonly string[]): Promise<void>;
  /** Where the group stands; null when the group does not exist. */
  cursor(group: string, partition: number): Promise<GroupCursor | null>;
}
