import { INITIAL_PLAN_STATE, planKey, type EventLog, type PlanState, type ProjectionState } from '@planledger/core';

/**
 * A rebuild's projection state, in the rebuilding process: only each plan's version is held (a
 * few dozen bytes a plan, whatever the plan's size); the document a later change starts from is
 * folded back from the log (at most K events from a snapshot) when it is asked for, which a
 * rebuild does only for the plans its catch-up pass touches. Nothing is written to Redis, so a
 * rebuild costs the log no writes and leaves nothing to clean up; a rebuild that dies starts over
 * into a new generation anyway.
 */
export function createFoldingState(log: EventLog): ProjectionState {
  const versions = new Map<string, number>();
  const checkpoints = new Map<number, string>();
  return {
    async get(plan) {
      const version = versions.get(planKey(plan)) ?? 0;
      return version === 0 ? INITIAL_PLAN_STATE : log.stateAt(plan, version);
    },
    async set(plan, state: PlanState) {
      versions.set(planKey(plan), state.version);
    },
    async checkpoint(partition) {
      return checkpoints.get(partition) ?? null;
    },
    async setCheckpoint(partition, position) {
      checkpoints.set(partition, position);
    },
  };
}
