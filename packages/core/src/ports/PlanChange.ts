import type { PlanState } from '../evolvePlan.js';
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
}

/** A projection's target (an index, a read model). Writing the same change twice must be harmless. */
export interface ProjectionTarget {
  readonly name: string;
  apply(change: PlanChange): Promise<void>;
}
