import { evolvePlan, type PlanState } from './evolvePlan.js';
import type { PlanDocument } from './planDocument.js';
import type { PlanEvent } from './planEvent.js';
import { planKey, refOf } from './planRef.js';
import { WeighedCache } from './weighedCache.js';

/** Folds one event into a plan state (evolvePlan, or one that shares its results). */
export type Evolve = (state: PlanState, event: PlanEvent) => PlanState;

/**
 * evolvePlan shared by the consumers of one process: the projections each fold every event into
 * their own state of the plan, and while they are in step (the usual case) they fold the same
 * event into the same state. The first to fold it keeps the result, and the others take that
 * result as it is, so the projections hold the same objects, and whatever is worked out per
 * object (search documents, objectIds, JSON text) is worked out once for all of them. A result is
 * taken only by a fold from the very state (the same document object) it was made from: a
 * projection behind or ahead folds on its own. Keeps the last `entries` results.
 */
export function createSharedFold({ entries = 1024 }: { entries?: number } = {}): Evolve {
  const folded = new WeighedCache<{ readonly from: PlanDocument | null; readonly to: PlanState }>(entries);
  return (state, event) => {
    // The event is named by its plan and version (one event each in a log) and, should one process
    // read two logs, by its request and time too.
    const key = `${planKey(refOf(event))}@${event.version}@${event.at}@${event.requestId}`;
    const known = folded.get(key);
    if (known !== undefined && known.from === state.document && state.version === event.version - 1) return known.to;
    const to = evolvePlan(state, event);
    folded.set(key, { from: state.document, to }, 1);
    return to;
  };
}
