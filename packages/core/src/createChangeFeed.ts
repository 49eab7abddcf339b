import { decodeChangeCursor, encodeChangeCursor, type PartitionPositions } from './changeCursor.js';
import { matchesChange, type ChangeFilter } from './changeFilter.js';
import { evolvePlan, type PlanState } from './evolvePlan.js';
import { historyEntryOf, type HistoryEntry } from './historyEntry.js';
import { PartitionMerge } from './mergePartitionLogs.js';
import type { PlanEvent } from './planEvent.js';
import { planKey, refOf } from './planRef.js';
import type { EventLog } from './ports/EventLog.js';
import type { LogEntry, PartitionLog } from './ports/PartitionLog.js';
import { WeighedCache } from './weighedCache.js';

/** A history entry as the changes feed gives it: with where it is in the log (`<partition>:<position>`). */
export type ChangeEntry = { readonly position: string } & HistoryEntry;

export interface ChangePage {
  readonly changes: ChangeEntry[];
  /** The cursor of the next page; null when the scan reached the end of every partition. */
  readonly next: string | null;
}

/**
 * How a log's positions relate to time, for logs whose positions start with the millisecond
 * they were appended at (Redis stream ids): lets a time-bounded query skip what lies outside.
 */
export interface PositionTimes {
  /** A position just before the first one that can be at or after `ms` (null: the start). */
  before(ms: number): string | null;
  /** The millisecond a position was appended at. */
  msOf(position: string): number;
}

export interface ChangeFeedOptions {
  readonly partitions: PartitionLog;
  /** Reads the plan as it was before an event whose plan the scan has not folded yet. */
  readonly log: EventLog;
  /** When given, `since` and `until` skip entries appended long outside the range (see `clockSkewMs`). */
  readonly positionTimes?: PositionTimes;
  /**
   * How far an event's `at` (the api's clock) may lie from its position's time (the log's clock);
   * only entries further than this outside [since, until) are skipped unread. Default 10 minutes.
   */
  readonly clockSkewMs?: number;
  /** Entries read from a partition at a time (default 500). */
  readonly chunk?: number;
  /** Plans whose latest folded state is kept, so consecutive events of a plan fold without a read (default 1000). */
  readonly stateCacheSize?: number;
  /** Most entries one page reads; a page may come back with fewer than `limit` changes and a `next` (default 10,000). */
  readonly pageScanLimit?: number;
}

/** Every org's events in log order, filtered, as pages with a cursor or as one stream. */
export interface ChangeFeed {
  /** A page of at most `limit` matching changes; InvalidCursor for a cursor this feed did not give out. */
  page(filter: ChangeFilter, options: { readonly cursor: string | null; readonly limit: number }): Promise<ChangePage>;
  /** Every matching change, read in bounded chunks as the consumer pulls (constant memory). */
  stream(filter: ChangeFilter): AsyncIterable<ChangeEntry>;
}

export function createChangeFeed({ partitions, log, positionTimes, clockSkewMs = 600_000, chunk = 500, stateCacheSize = 1000, pageScanLimit = 10_000 }: ChangeFeedOptions): ChangeFeed {
  const startOf = (filter: ChangeFilter, resume: PartitionPositions | null): PartitionPositions => {
    const seek = positionTimes && filter.since ? positionTimes.before(filter.since.getTime() - clockSkewMs) : null;
    return Array.from({ length: partitions.partitions }, (_, partition) => resume?.[partition] ?? seek);
  };
  const endOf = (filter: ChangeFilter) => {
    if (!positionTimes || !filter.until) return undefined;
    const last = filter.until.getTime() + clockSkewMs;
    return (position: string) => positionTimes.msOf(position) > last;
  };

  /** A scan: each step takes one log entry and gives its change when it matches (null when not). */
  const scan = (filter: ChangeFilter, after: PartitionPositions, size: number) => {
    const pastEnd = endOf(filter);
    const merge = new PartitionMerge(partitions, { after, chunk: size, ...(pastEnd ? { pastEnd } : {}) });
    const states = new WeighedCache<PlanState>(stateCacheSize);
    const remember = (key: string, state: PlanState) => states.set(key, state, 1);
    const changeOf = async (item: LogEntry): Promise<ChangeEntry | null> => {
      const event = JSON.parse(item.json) as PlanEvent;
      const key = planKey(refOf(event));
      const known = states.get(key);
      const folded = known !== undefined && known.version === event.version - 1 ? known : undefined;
      if (!matchesChange(event, filter)) {
        // Keep a plan already folded up to date (cheap: one patch), so its next match needs no read.
        if (folded) remember(key, evolvePlan(folded, event));
        else if (known) states.delete(key);
        return null;
      }
      const before = folded ?? (await log.stateAt(refOf(event), event.version - 1));
      const { entry, after: state } = historyEntryOf(before, event);
      remember(key, state);
      return { position: `${item.partition}:${item.position}`, ...entry };
    };
    return {
      merge,
      /** undefined at the end of the log. */
      async step(): Promise<ChangeEntry | null | undefined> {
        const item = await merge.next();
        return item === null ? undefined : changeOf(item);
      },
    };
  };

  return {
    async page(filter, { cursor, limit }) {
      const resume = cursor === null ? null : decodeChangeCursor(cursor, partitions.partitions);
      const scanner = scan(filter, startOf(filter, resume), Math.min(chunk, Math.max(limit, 100)));
      const changes: ChangeEntry[] = [];
      for (let read = 0; changes.length < limit && read < pageScanLimit; read += 1) {
        const change = await scanner.step();
        if (change === undefined) break;
        if (change !== null) changes.push(change);
      }
      const more = (await scanner.merge.peek()) !== null;
      return { changes, next: more ? encodeChangeCursor(scanner.merge.positions) : null };
    },

    async *stream(filter) {
      const scanner = scan(filter, startOf(filter, null), chunk);
      for (;;) {
        const change = await scanner.step();
        if (change === undefined) return;
        if (change !== null) yield change;
      }
    },
  };
}
