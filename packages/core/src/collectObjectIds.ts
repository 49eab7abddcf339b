import { isJsonObject, type JsonValue } from './planDocument.js';
import { unsharedItems } from './unsharedItems.js';

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

/**
 * The objectIds `after` has and `before` has not, and those `before` has and `after` has not,
 * found by walking only where the two states differ: parts they share (the same object or
 * array, in the same place) hold the same ids, so a change of one field of a plan with a hundred
 * services walks the changed object's path. Exact for documents whose objectIds are unique (as a
 * plan's are); with repeats, compare collectObjectIds of both instead.
 */
export function objectIdChanges(before: JsonValue | null, after: JsonValue | null): { added: string[]; removed: string[] } {
  const was: string[] = [];
  const now: string[] = [];
  const walk = (old: JsonValue | null, next: JsonValue | null): void => {
    if (old === next) return;
    if (isJsonObject(old) && isJsonObject(next)) {
      if (typeof old.objectId === 'string') was.push(old.objectId);
      if (typeof next.objectId === 'string') now.push(next.objectId);
      for (const key in next) {
        const value = next[key]!;
        if (old[key] !== value && (typeof value === 'object' || typeof old[key] === 'object')) walk(old[key] ?? null, value);
      }
      for (const key in old) if (!Object.hasOwn(next, key) && typeof old[key] === 'object') walk(old[key]!, null);
      return;
    }
    if (Array.isArray(old) && Array.isArray(next)) {
      const [gone, fresh] = unsharedItems(old, next);
      if (gone.length === fresh.length) gone.forEach((item, i) => walk(item, fresh[i]!));
      else {
        for (const item of gone) was.push(...idsOf(item));
        for (const item of fresh) now.push(...idsOf(item));
      }
      return;
    }
    was.push(...idsOf(old));
    now.push(...idsOf(next));
  };
  walk(before, after);
  const had = new Set(was);
  const has = new Set(now);
  return { added: [...has].filter((id) => !had.has(id)), removed: [...had].filter((id) => !has.has(id)) };
}
