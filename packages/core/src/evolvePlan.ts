import { applyJsonPatch } from './applyJsonPatch.js';
import { isJsonObject, type PlanDocument } from './planDocument.js';
import type { PlanEvent } from './planEvent.js';

/** A plan folded from its events up to `version`; `document` is null before creation and after deletion. */
export interface PlanState {
  readonly version: number;
  readonly document: PlanDocument | null;
}

export const INITIAL_PLAN_STATE: PlanState = { version: 0, document: null };

/** Folds one event into a plan state. Events must come in version order. */
export function evolvePlan(state: PlanState, event: PlanEvent): PlanState {
  if (event.version !== state.version + 1) {
    throw new Error(`Event ${event.planId}@${event.version} does not follow version ${state.version}.`);
  }
  if (event.type === 'deleted') return { version: event.version, document: null };
  const next = applyJsonPatch(state.document, event.patch);
  if (!isJsonObject(next)) throw new Error(`Event ${event.planId}@${event.version} does not produce an object.`);
  return { version: event.version, document: next as PlanDocument };
}

export function foldPlan(events: Iterable<PlanEvent>, from: PlanState = INITIAL_PLAN_STATE): PlanState {
  let state = from;
  for (const event of events) state = evolvePlan(state, event);
  return state;
}
