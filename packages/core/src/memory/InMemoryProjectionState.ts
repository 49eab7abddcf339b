import { INITIAL_PLAN_STATE, type PlanState } from '../evolvePlan.js';
import { planKey, type PlanRef } from '../planRef.js';
import type { ProjectionState } from '../ports/ProjectionState.js';

export class InMemoryProjectionState implements ProjectionState {
  private readonly states = new Map<string, PlanState>();
  private readonly checkpoints = new Map<number, string>();

  async get(plan: PlanRef): Promise<PlanState> {
    return structuredClone(this.states.get(planKey(plan)) ?? INITIAL_PLAN_STATE);
  }

  async set(plan: PlanRef, state: PlanState): Promise<void> {
    this.states.set(planKey(plan), structuredClone(state));
  }

  async checkpoint(partition: number): Promise<string | null> {
    return this.checkpoints.get(partition) ?? null;
  }

  async setCheckpoint(partition: number, position: string): Promise<void> {
    this.checkpoints.set(partition, position);
  }
}
