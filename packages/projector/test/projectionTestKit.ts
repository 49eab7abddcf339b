import { EVENT_SCHEMA_VERSION, InMemoryEventLog, type PlanChange, type PlanEvent, type ProjectionTarget } from '@planledger/core';
import { aPlan } from '../../core/test/planMother.js';

/** A target that records every change (and can be told to fail). */
export function recordingTarget(fail: (change: PlanChange) => Error | null = () => null): ProjectionTarget & { changes: PlanChange[] } {
  const changes: PlanChange[] = [];
  return {
    name: 'recording',
    changes,
    apply: async (change) => {
      await new Promise((r) => setImmediate(r));
      const error = fail(change);
      if (error) throw error;
      changes.push(change);
    },
  };
}

export function eventOf(planId: string, version: number, org = 'example.com'): PlanEvent {
  return {
    planId,
    version,
    type: version === 1 ? 'created' : 'patched',
    patch: version === 1 ? [{ op: 'add', path: '', value: aPlan({ id: planId }) }] : [{ op: 'replace', path: '/planType', value: `type-${version}` }],
    actor: 'a',
    org,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, version)).toISOString(),
    requestId: `r${version}`,
    schemaVersion: EVENT_SCHEMA_VERSION,
  };
}

/** Appends `versions` events of plan `planId` to the log; returns them with their positions. */
export async function appendVersions(log: InMemoryEventLog, planId: string, versions: number): Promise<{ event: PlanEvent; position: string; partition: number }[]> {
  const out: { event: PlanEvent; position: string; partition: number }[] = [];
  for (let v = 1; v <= versions; v += 1) {
    const event = eventOf(planId, v);
    const result = await log.append({ event, document: aPlan({ id: planId }) });
    if (result.kind === 'appended') out.push({ event, position: result.position, partition: result.partition });
  }
  return out;
}

export const until = async (check: () => boolean, timeoutMs = 5000) => {
  for (const deadline = Date.now() + timeoutMs; !check() && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 5));
  return check();
};
