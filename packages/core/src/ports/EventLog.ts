import type { PlanState } from '../evolvePlan.js';
import type { PlanDocument } from '../planDocument.js';
import type { PlanEvent } from '../planEvent.js';
import type { PlanRef } from '../planRef.js';

/** What the log knows of a plan right now: a cache of the fold of its events. */
export interface PlanHead {
  /** The plan's objectId; `org` below completes its identity. */
  readonly planId: string;
  readonly version: number;
  /** Null once the plan is deleted; the version stays so a re-create continues the sequence. */
  readonly document: PlanDocument | null;
  /** The org the plan belongs to (part of its identity; kept after a delete). */
  readonly org: string;
  /** Time of the last event (ISO 8601). */
  readonly at: string;
  /**
   * The document's JSON text as the log stores it, when the adapter read it as text (absent when
   * the plan is deleted): a reader that only passes the document on sends this, and `document` is
   * then parsed only if something asks for it. The same text `jsonText(document)` gives.
   */
  readonly documentJson?: string;
}

/** A write made with an Idempotency-Key: what a retry of the same request gets back. */
export interface IdempotencyRecord {
  /** Identifies the request (method, path, body), so a key reused for another request is caught. */
  readonly fingerprint: string;
  readonly version: number;
  /** Where the write's event landed. */
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

/** Who first used an Idempotency-Key: the request's fingerprint and the plan it named. */
export interface IdempotencyOwner {
  readonly fingerprint: string;
  readonly plan: PlanRef;
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
  /** Appends to the log of the plan the event names (its `org` and `planId`). */
  append(request: AppendRequest): Promise<AppendResult>;
  head(plan: PlanRef): Promise<PlanHead | null>;
  /** Each plan's current version (0 for a plan that never existed), without reading documents: what a page of search hits needs. */
  versions(plans: readonly PlanRef[]): Promise<number[]>;
  /** The plan's own events in version order; time proportional to the plan's events, not the log. */
  events(plan: PlanRef, range?: EventRange): Promise<PlanEvent[]>;
  /** The plan as it was at `version` (nothing at 0), folded from the nearest snapshot at or below it. */
  stateAt(plan: PlanRef, version: number): Promise<PlanState>;
  /**
   * The plan's version at time `at` (0 before it was created): the newest version whose event
   * time is at or before `at`. Event times never go backwards within a plan (the plan service
   * ensures it); should a log hold one that does, an event counts as happening no earlier than
   * the one before it.
   */
  versionAt(plan: PlanRef, at: Date): Promise<number>;
  /** The outcome of the write the plan's log recorded for an idempotency key (atomically with its event). */
  idempotencyRecord(plan: PlanRef, key: string): Promise<IdempotencyRecord | null>;
  /**
   * Claims an idempotency key for one request, whatever plan it names: null when this call took
   * the key, else the owner that holds it (same fingerprint: the same request again).
   */
  claimIdempotencyKey(key: string, owner: IdempotencyOwner, ttlSeconds: number): Promise<IdempotencyOwner | null>;
  /** Gives a claimed key back (the request it was claimed for changed nothing), if `fingerprint` still holds it. */
  releaseIdempotencyKey(key: string, fingerprint: string): Promise<void>;
}
