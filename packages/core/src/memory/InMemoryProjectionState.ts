import { INITIAL_PLAN_STATE, type PlanState } from '../evolvePlan.js';
import type { ProjectionState } from '../ports/ProjectionState.js';

export class InMemoryProjectionState implements ProjectionState {
  private readonly states = new Map<string, PlanState>();
  private readonly checkpoints = new Map<number, string>();

  async get(planId: string): Promise<PlanState> {
    return structuredClone(this.states.get(planId) ?? INITIAL_PLAN_STATE);
  }

  async set(planId: string, state: PlanState): Promise<void> {
    this.states.set(planId, structuredClone(state));
  }

  async checkpoint(partition: number): Promise<string | null> {
    return this.checkpoints.get(partition) ?? null;
  }

  async setCheckpoint(partition: number, position: string): Promise<void> {
    this.checkpoints.set(partition, position);
  }
}
