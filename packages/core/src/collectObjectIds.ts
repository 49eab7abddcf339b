import { isJsonObject, type JsonValue } from './planDocument.js';

const NONE: readonly string[] = [];

/**
 * Each object's and array's objectIds (its own and its descendants'), computed once. Sound because
 * documents are never changed in place once built, and a change builds a state that shares every
 * untouched subtree with the one before (applyJsonPatch): collecting the ids of a plan's next state
 * walks only what the change touched. Entries go with their objects.
 */
const collected = new WeakMap<object, readonly string[]>();

function idsOf(value: JsonValue | null): readonly string[] {
  if (value === null || typeof value !== 'object') return NONE;
  const known = collected.get(value);
  if (known !== undefined) return known;
  const ids: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) for (const id of idsOf(item)) ids.push(id);
  } else if (isJsonObject(value)) {
    if (typeof value.objectId === 'string') ids.push(value.objectId);
    for (const child of Object.values(value)) for (const id of idsOf(child)) ids.push(id);
  }
  const held = ids.length === 0 ? NONE : ids;
  collected.set(value, held);
  return held;
}

/** Every objectId in a value and below it, in document order, repeats included (shared: do not change it). */
export function objectIdsIn(value: JsonValue | null): readonly string[] {
  return idsOf(value);
}

/** Every objectId in a document, the document's own included. */
export function collectObjectIds(value: JsonValue | null, into: Set<string> = new Set()): Set<string> {
  for (const id of idsOf(value)) into.add(id);
  return into;
}
