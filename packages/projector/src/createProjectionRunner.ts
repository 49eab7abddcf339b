import { evolvePlan, refOf, type EventLog, type Logger, type PlanEvent, type PlanState, type ProjectionState, type ProjectionTarget } from '@planledger/core';

export type HandleOutcome = 'applied' | 'duplicate';

export interface ProjectionRunner {
  /**
   * Applies `event` if it is the next version of its plan for this projection: an older or equal
   * version is a duplicate and skipped; a gap is healed by reading the missing events from the log.
   */
  handle(event: PlanEvent): Promise<HandleOutcome>;
}

export interface ProjectionRunnerOptions {
  readonly log: EventLog;
  readonly state: ProjectionState;
  readonly target: ProjectionTarget;
  readonly logger: Logger;
}

/** The same runner serves live consumption from the broker and replay straight from the log. */
export function createProjectionRunner({ log, state, target, logger }: ProjectionRunnerOptions): ProjectionRunner {
  const applyOne = async (before: PlanState, event: PlanEvent): Promise<PlanState> => {
    const after = evolvePlan(before, event);
    await target.apply({ event, before, after });
    await state.set(refOf(event), after);
    return after;
  };

  return {
    async handle(event) {
      const plan = refOf(event);
      let current = await state.get(plan);
      if (event.version <= current.version) return 'duplicate';
      if (event.version > current.version + 1) {
        const missing = await log.events(plan, { from: current.version + 1, to: event.version - 1 });
        logger.warn({ projection: target.name, org: event.org, planId: event.planId, from: current.version + 1, to: event.version - 1 }, 'healing a gap from the log');
        for (const earlier of missing) current = await applyOne(current, earlier);
      }
      await applyOne(current, event);
      return 'applied';
    },
  };
}
