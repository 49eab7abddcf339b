import { INITIAL_PLAN_STATE, type PlanState } from '../evolvePlan.js';
import { partitionOf, DEFAULT_PARTITIONS } from '../partitionOf.js';
import type { ProjectionState } from '../ports/ProjectionState.js';

export class InMemoryProjectionState implements ProjectionState {
  private readonly states = new Map<string, PlanState>();
  private readonly checkpoints = new Map<number, string>();

  constructor(private readonly partitions = DEFAULT_PARTITIONS) {}

  async get(planId: string): Promise<PlanState> {
    return structuredClone(this.states.get(planId) ?? INITIAL_PLAN_STATE);
  }

  async set(planId: string, state: PlanState, position: string): Promise<void> {
    this.states.set(planId, structuredClone(state));
    this.checkpoints.set(partitionOf(planId, this.partitions), position);
  }

  async checkpoint(partition: number): Promise<string | null> {
    return this.checkpoints.get(partition) ?? null;
  }
}
