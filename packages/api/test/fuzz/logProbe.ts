import type { EventLog, PlanDocument, PlanEvent } from '@planledger/core';

/** What the log holds for one plan id, read straight from the adapter: compared before and after each write. */
export interface LogSnapshot {
  readonly version: number;
  readonly document: PlanDocument | null;
  readonly at: string | null;
  readonly historyLength: number;
  readonly lastEvent: PlanEvent | null;
}

export interface LogProbe {
  snapshot(planId: string): Promise<LogSnapshot>;
}

/** The one place the fuzz reads the event log directly: the example.com tenant's plan of that objectId. */
export function createLogProbe(log: EventLog, org = 'example.com'): LogProbe {
  return {
    async snapshot(planId) {
      const plan = { org, planId };
      const [head, events] = await Promise.all([log.head(plan), log.events(plan)]);
      return { version: head?.version ?? 0, document: head?.document ?? null, at: head?.at ?? null, historyLength: events.length, lastEvent: events.at(-1) ?? null };
    },
  };
}
