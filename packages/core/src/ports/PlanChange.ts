import type { PlanState } from '../evolvePlan.js';
import type { PlanDocument } from '../planDocument.js';
import type { PlanEvent } from '../planEvent.js';

/**
 * A plan as a target last saw it (`before`) and as it is now (`after`), with the latest event
 * that brought it there: what every projection consumes.
 *
 * A change may span several versions: when a consumer holds consecutive events of one plan at
 * once (a burst, a replay), it folds them and hands the target one change, so
 * `before.version` < `after.version - 1` is normal, and `event` is the last of them
 * (`event.version === after.version`). A target writes `after` as of `after.version` and removes
 * what `before` had and `after` has not; it never relies on seeing every version.
 */
export interface PlanChange {
  readonly event: PlanEvent;
  readonly before: PlanState;
  readonly after: PlanState;
  /**
   * The plan's documents at the versions strictly between `before` and `after` (null where it did
   * not exist), when the change spans several. The target may hold any of them instead of
   * `before` — a rebuild's generation is written by the rebuild and by the live projector, whose
   * states differ — so a target that writes only what changed treats each as a possible before.
   * Absent when the target is known to hold `before` (a rebuild's own first pass).
   */
  readonly passed?: readonly (PlanDocument | null)[];
  /**
   * Every event from `before.version + 1` to `after.version`, in order, when the consumer has
   * them (it always does): what a target that records every version (the temporal index) needs.
   */
  readonly events?: readonly PlanEvent[];
}

/** A projection's target (an index, a read model). Writing the same change twice must be harmless. */
export interface ProjectionTarget {
  readonly name: string;
  apply(change: PlanChange): Promise<void>;
}
