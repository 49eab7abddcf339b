import { parseJsonPointer } from './jsonPatch/parseJsonPointer.js';
import { actorOf, type PlanEvent, type PlanEventType } from './planEvent.js';

/** Stands for every org in a `ChangeFilter` (a symbol, so no org's name can mean it). */
export const EVERY_ORG: unique symbol = Symbol('every org');

/** Which events a changes query asks for; every given member must hold (AND). */
export interface ChangeFilter {
  /** One org, or every org (`EVERY_ORG`, for callers that may cross orgs). */
  readonly org: string | typeof EVERY_ORG;
  /** Events at or after this time (the event's `at`). */
  readonly since?: Date;
  /** Events before this time. */
  readonly until?: Date;
  readonly planId?: string;
  /** Matches the actor's clientId or subject. */
  readonly actor?: string;
  readonly types?: readonly PlanEventType[];
  /** The reference tokens of a JSON Pointer: events whose patch touches that location or below it. */
  readonly path?: readonly string[];
}

/** Whether the event is one the filter asks for. Pure: the changes feed and its tests share it. */
export function matchesChange(event: PlanEvent, filter: ChangeFilter): boolean {
  if (filter.org !== EVERY_ORG && event.org !== filter.org) return false;
  if (filter.planId !== undefined && event.planId !== filter.planId) return false;
  if (filter.types !== undefined && !filter.types.includes(event.type)) return false;
  if (filter.actor !== undefined) {
    const actor = actorOf(event);
    if (actor.clientId !== filter.actor && actor.subject !== filter.actor) return false;
  }
  if (filter.since !== undefined || filter.until !== undefined) {
    const at = Date.parse(event.at);
    if (filter.since !== undefined && !(at >= filter.since.getTime())) return false;
    if (filter.until !== undefined && !(at < filter.until.getTime())) return false;
  }
  return filter.path === undefined || touches(event, filter.path);
}

/**
 * Whether the event changes what is at `path` or below it: an operation at that location, below it,
 * or above it (replacing a whole subtree — a create's `add` at the root — changes everything in
 * it); a `move` also changes where it moves from. A delete removes everything, so it touches every
 * path. `test` operations change nothing.
 */
export function touches(event: PlanEvent, path: readonly string[]): boolean {
  if (event.type === 'deleted') return true;
  return event.patch.some((operation) => {
    if (operation.op === 'test') return false;
    if (related(operation.path, path)) return true;
    return operation.op === 'move' && related(operation.from, path);
  });
}

/** One pointer is the other or a prefix of it, segment by segment. */
function related(pointer: string, path: readonly string[]): boolean {
  const parsed = parseJsonPointer(pointer);
  if (!parsed.ok) return false;
  const shared = Math.min(parsed.segments.length, path.length);
  for (let i = 0; i < shared; i += 1) if (parsed.segments[i] !== path[i]) return false;
  return true;
}
