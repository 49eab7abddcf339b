import { describeChanges } from './describeChanges.js';
import { evolvePlan, type PlanState } from './evolvePlan.js';
import type { PlanDocument } from './planDocument.js';
import { actorOf, type EventActor, type PlanEvent } from './planEvent.js';

/**
 * What an auditor reads of one event: the event in today's shape (a version-1 string actor read
 * as `{ clientId }`), the readable lines `/diff` shows for version n-1 → n, and for a delete the
 * document as it was before.
 */
export interface HistoryEntry extends Omit<PlanEvent, 'actor'> {
  readonly actor: EventActor;
  readonly changes: string[];
  readonly deleted?: PlanDocument;
}

/** One event's entry, given the plan as it was before it; returns the plan after it too (for the next event). */
export function historyEntryOf(before: PlanState, event: PlanEvent): { entry: HistoryEntry; after: PlanState } {
  const after = evolvePlan(before, event);
  const entry: HistoryEntry = {
    planId: event.planId,
    org: event.org,
    version: event.version,
    type: event.type,
    at: event.at,
    actor: actorOf(event),
    ...(event.reason !== undefined ? { reason: event.reason } : {}),
    requestId: event.requestId,
    ...(event.idempotencyKey !== undefined ? { idempotencyKey: event.idempotencyKey } : {}),
    schemaVersion: event.schemaVersion,
    patch: event.patch,
    changes: describeChanges(before.document ?? {}, after.document ?? {}),
    ...(event.type === 'deleted' && before.document !== null ? { deleted: before.document } : {}),
  };
  return { entry, after };
}

/** The entries of consecutive events of one plan, folding from the state before the first. */
export function historyEntries(before: PlanState, events: readonly PlanEvent[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  let state = before;
  for (const event of events) {
    const { entry, after } = historyEntryOf(state, event);
    entries.push(entry);
    state = after;
  }
  return entries;
}
