import { evolvePlan, refOf, type EventLog, type Evolve, type Logger, type PlanEvent, type PlanState, type ProjectionState, type ProjectionTarget } from '@planledger/core';

export type HandleOutcome = 'applied' | 'duplicate';

export interface ProjectionRunner {
  /**
   * Applies `event` if it is the next version of its plan for this projection: an older or equal
   * version is a duplicate and skipped; a gap is healed by reading the missing events from the log.
   */
  handle(event: PlanEvent): Promise<HandleOutcome>;
  /**
   * Applies events of ONE plan at once (any order, duplicates allowed): the versions after the
   * projection's state are folded (gaps healed from the log) and the target gets one change, from
   * the state it had to the state after the newest. Returns each event's outcome, in input order.
   */
  handleChain(events: readonly PlanEvent[]): Promise<HandleOutcome[]>;
}

export interface ProjectionRunnerOptions {
  readonly log: EventLog;
  readonly state: ProjectionState;
  readonly target: ProjectionTarget;
  readonly logger: Logger;
  /**
   * Whether the target is written by this runner alone, so it holds exactly the runner's state (a
   * rebuild's first pass into a fresh generation). Otherwise (default) a change spanning several
   * versions tells the target every state it passed through (`PlanChange.passed`).
   */
  readonly soleWriter?: boolean;
  /** How an event is folded into a state (default evolvePlan; the live projector shares one fold among its projections, createSharedFold). */
  readonly evolve?: Evolve;
}

/** The same runner serves live consumption from the broker and replay straight from the log. */
export function createProjectionRunner({ log, state, target, logger, soleWriter = false, evolve = evolvePlan }: ProjectionRunnerOptions): ProjectionRunner {
  const handleChain = async (events: readonly PlanEvent[]): Promise<HandleOutcome[]> => {
    const first = events[0];
    if (first === undefined) return [];
    const plan = refOf(first);
    const before = await state.get(plan);
    const inHand = new Map<number, PlanEvent>();
    const outcomes = events.map((event): HandleOutcome => {
      if (event.version <= before.version || inHand.has(event.version)) return 'duplicate';
      inHand.set(event.version, event);
      return 'applied';
    });
    if (inHand.size === 0) return outcomes;
    const newest = Math.max(...inHand.keys());
    const chain = await chainOf(plan, before, newest, inHand);
    let after: PlanState = before;
    const passed: (PlanState['document'])[] = [];
    for (const [i, event] of chain.entries()) {
      if (i > 0 && !soleWriter) passed.push(after.document);
      after = evolve(after, event);
    }
    await target.apply({ event: chain.at(-1)!, events: chain, before, after, ...(passed.length > 0 ? { passed } : {}) });
    await state.set(plan, after);
    return outcomes;
  };

  /** Versions `before.version + 1 … newest`, from the events in hand and, for the missing ones, the log. */
  const chainOf = async (plan: ReturnType<typeof refOf>, before: PlanState, newest: number, inHand: Map<number, PlanEvent>): Promise<PlanEvent[]> => {
    const wanted = newest - before.version;
    if (inHand.size === wanted) return [...inHand.values()].sort((a, b) => a.version - b.version);
    logger.warn({ projection: target.name, org: plan.org, planId: plan.planId, from: before.version + 1, to: newest, inHand: inHand.size }, 'healing a gap from the log');
    const fromLog = new Map((await log.events(plan, { from: before.version + 1, to: newest })).map((event) => [event.version, event]));
    return Array.from({ length: wanted }, (_, i) => {
      const version = before.version + 1 + i;
      const event = inHand.get(version) ?? fromLog.get(version);
      if (!event) throw new Error(`The log has no event ${plan.org}/${plan.planId}@${version}.`);
      return event;
    });
  };

  return {
    async handle(event) {
      return (await handleChain([event]))[0]!;
    },
    handleChain,
  };
}
