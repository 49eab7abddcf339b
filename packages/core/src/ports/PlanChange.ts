import type { PlanState } from '../evolvePlan.js';
import type { PlanEvent } from '../planEvent.js';

/** One event with the plan as it was before and after it: what every projection consumes. */
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
