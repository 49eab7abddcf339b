import type { PlanDocument } from '../planDocument.js';
import type { PlanEvent } from '../planEvent.js';

/** What the log knows of a plan right now: a cache of the fold of its events. */
export interface PlanHead {
  readonly planId: string;
  readonly version: number;
  /** Null once the plan is deleted; the version stays so a re-create continues the sequence. */
  readonly document: PlanDocument | null;
}

export interface AppendRequest {
  /** The event to append; its version must be the head's version plus one. */
  readonly event: PlanEvent;
  /** The plan as it is after the event (null for a delete); becomes the new head. */
  readonly document: PlanDocument | null;
}

export interface AppendResult {
  /** Where the event landed in its partition's log. */
  readonly position: string;
  readonly partition: number;
}

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
}
