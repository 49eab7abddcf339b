import type { PlanState } from '../evolvePlan.js';
import type { PlanRef } from '../planRef.js';

/**
 * Where a projection remembers how far it got: the plan state it last applied (the base for the
 * next event) and, per partition, its checkpoint: a log position such that every event up to it
 * has been applied (or dead-lettered).
 */
export interface ProjectionState {
  get(plan: PlanRef): Promise<PlanState>;
  set(plan: PlanRef, state: PlanState): Promise<void>;
  checkpoint(partition: number): Promise<string | null>;
  setCheckpoint(partition: number, position: string): Promise<void>;
}
