import { DomainError, type Violation } from './errors.js';
import { escapePointer } from './forbiddenKeys.js';
import { isIdentifiedObject } from './mergeByObjectId.js';
import { isJsonObject, type JsonObject, type JsonValue } from './planDocument.js';

/** An object with an objectId somewhere in a document. */
interface Identity {
  readonly pointer: string;
  readonly objectId: string;
  readonly objectType: JsonValue | undefined;
}

/**
 * Refuses a change that alters the identity of an object that exists before and after it,
 * the plan root included, with a PATCH_FAILED DomainError listing every violation:
 * - `before` has an object with objectId X at pointer P, `after` has an object at P whose
 *   objectId is missing or a new Y (one not anywhere in `before`), and X is nowhere in `after`:
 *   the objectId was changed → violation at `P/objectId`. (Requiring Y to be new keeps removing
 *   an array element, which shifts its siblings to lower indexes, from counting as a change.)
 * - An objectId in both whose objectType differs (a string before, anything else after) →
 *   violation at `after`'s pointer of it + `/objectType`.
 * The first occurrence of a duplicated objectId is the one compared.
 */
export function assertIdentityKept(before: JsonValue, after: JsonValue): void {
  const violations = identityViolations(before, after);
  if (violations.length > 0) {
    throw new DomainError('PATCH_FAILED', 'The change alters the identity of an existing object.', violations);
  }
}

function identityViolations(before: JsonValue, after: JsonValue): Violation[] {
  return sameIdentities(before, after) ? [] : everyIdentityViolation(before, after);
}

/** The violations by comparing every object of both documents (exported for the tests that check the shortcut against it). */
export function everyIdentityViolation(before: JsonValue, after: JsonValue): Violation[] {
  const was = byObjectId(objectsByPointer(before));
  const afterObjects = objectsByPointer(after);
  const now = byObjectId(afterObjects);
  const violations: Violation[] = [];
  for (const { pointer, objectId } of was.values()) {
    const there = afterObjects.get(pointer);
    if (there === undefined || now.has(objectId)) continue;
    const newId = isIdentifiedObject(there) ? there.objectId : undefined;
    if (newId === undefined || !was.has(newId)) {
      violations.push({ pointer: `${pointer}/objectId`, message: `objectId of an existing object cannot change (was ${objectId})` });
    }
  }
  for (const { pointer, objectId, objectType } of now.values()) {
    const old = was.get(objectId)?.objectType;
    if (typeof old === 'string' && objectType !== old) {
      violations.push({ pointer: `${pointer}/objectType`, message: `objectType of ${objectId} cannot change (was ${old})` });
    }
  }
  return violations;
}

/**
 * Whether every pointer holds an object with the same objectId and objectType before and after,
 * in the same order: then no identity changed. Walks only where the two differ (a change shares
 * every subtree it did not touch), and answers false, for the full comparison, wherever their
 * shapes part (a container added, removed or moved, a list grown or shrunk).
 */
function sameIdentities(before: JsonValue, after: JsonValue): boolean {
  if (before === after) return true;
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) return false;
    return before.every((item, index) => sameIdentities(item, after[index]!));
  }
  if (isJsonObject(before) && isJsonObject(after)) {
    if (before.objectId !== after.objectId || Object.hasOwn(before, 'objectType') !== Object.hasOwn(after, 'objectType') || before.objectType !== after.objectType) return false;
    const was = containerKeys(before);
    const now = containerKeys(after);
    return was.length === now.length && was.every((key, index) => key === now[index] && sameIdentities(before[key]!, after[key]!));
  }
  return !isContainer(before) && !isContainer(after);
}

const isContainer = (value: JsonValue): boolean => typeof value === 'object' && value !== null;
const containerKeys = (object: JsonObject): string[] => Object.keys(object).filter((key) => isContainer(object[key]!));

/** The first object carrying each objectId, in document order. */
function byObjectId(objects: Map<string, JsonObject>): Map<string, Identity> {
  const found = new Map<string, Identity>();
  for (const [pointer, value] of objects) {
    if (!isIdentifiedObject(value) || found.has(value.objectId)) continue;
    const objectType = Object.hasOwn(value, 'objectType') ? value.objectType : undefined;
    found.set(value.objectId, { pointer, objectId: value.objectId, objectType });
  }
  return found;
}

/** Every object in `value` by JSON Pointer, parents before children. */
function objectsByPointer(value: JsonValue, pointer = '', into = new Map<string, JsonObject>()): Map<string, JsonObject> {
  // Scalars hold no objects: only containers get a pointer built.
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item === 'object' && item !== null) objectsByPointer(item, `${pointer}/${index}`, into);
    });
  } else if (isJsonObject(value)) {
    into.set(pointer, value);
    for (const key of Object.keys(value)) {
      const member = value[key]!;
      if (typeof member === 'object' && member !== null) objectsByPointer(member, `${pointer}/${escapePointer(key)}`, into);
    }
  }
  return into;
}
