import type { PlanState } from '../evolvePlan.js';
import type { PlanDocument } from '../planDocument.js';
import type { PlanEvent } from '../planEvent.js';

/** What the log knows of a plan right now: a cache of the fold of its events. */
export interface PlanHead {
  readonly planId: string;
  readonly version: number;
  /** Null once the plan is deleted; the version stays so a re-create continues the sequence. */
  readonly document: PlanDocument | null;
  /** The plan's org as of its last event (kept after a delete, for auditors' tenancy checks). */
  readonly org: string;
  /** Time of the last event (ISO 8601). */
  readonly at: string;
}

/** A write made with an Idempotency-Key: what a retry of the same request gets back. */
export interface IdempotencyRecord {
  /** Identifies the request (method, path, body), so a key reused for another request is caught. */
  readonly fingerprint: string;
  readonly version: number;
  readonly position: string;
  /** The partition whose log holds that event (with `position`, the write's consistency token). */
  readonly partition: number;
}

export interface IdempotencyClaim {
  /** The caller's key, scoped to the caller (e.g. token subject and key). */
  readonly key: string;
  readonly fingerprint: string;
  readonly ttlSeconds: number;
}

export interface AppendRequest {
  /** The event to append; its version must be the head's version plus one. */
  readonly event: PlanEvent;
  /** The plan as it is after the event (null for a delete); becomes the new head. */
  readonly document: PlanDocument | null;
  /** When given, the append is skipped if a write with this key already happened. */
  readonly idempotency?: IdempotencyClaim;
}

export type AppendResult =
  | { readonly kind: 'appended'; readonly position: string; readonly partition: number }
  | { readonly kind: 'replayed'; readonly record: IdempotencyRecord };

export interface EventRange {
  /** First version to return (default 1). */
  readonly from?: number;
  /** Last version to return (default: the newest). */
  readonly to?: number;
}

/**
 * The source of truth. `append` is atomic: it checks the expected version, appends the event and
 * moves the head in one step, or throws `VersionConflict` and changes nothing.
 */
export interface EventLog {
  append(request: AppendRequest): Promise<AppendResult>;
  head(planId: string): Promise<PlanHead | null>;
  /** The plan's own events in version order; time proportional to the plan's events, not the log. */
  events(planId: string, range?: EventRange): Promise<PlanEvent[]>;
  /** The plan as it was at `version`, folded from the nearest snapshot at or below it. */
  stateAt(planId: string, version: number): Promise<PlanState>;
  /** The plan's version at time `at` (0 before it was created). */
  versionAt(planId: string, at: Date): Promise<number>;
  idempotencyRecord(planId: string, key: string): Promise<IdempotencyRecord | null>;
}
