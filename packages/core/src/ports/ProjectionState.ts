import type { PlanState } from '../evolvePlan.js';

/**
 * Where a projection remembers how far it got: the plan state it last applied (the base for the
 * next event) and, per partition, the log position of that event (its checkpoint).
 */
export interface ProjectionState {
  get(planId: string): Promise<PlanState>;
  set(planId: string, state: PlanState, position: string): Promise<void>;
  checkpoint(partition: number): Promise<string | null>;
}
