import { assertNoForbiddenKeys } from './forbiddenKeys.js';
import { mergeInto, type ArrayMerge } from './mergePatch.js';
import { isJsonObject, type JsonObject, type JsonValue } from './planDocument.js';

/** An object that carries its identity: the elements of arrays merged by objectId. */
export type IdentifiedObject = JsonObject & { objectId: string };

/**
 * The merge `application/json` PATCH clients expect, without touching either input.
 * - An object patch merges member by member into the target (a non-object target counts as `{}`);
 *   a `null` member deletes the member, as in RFC 7396.
 * - An array patch whose elements are all objects with a string `objectId`, applied to a target
 *   array whose elements are too, merges by objectId: a patch element whose objectId is in the
 *   target is merged (recursively, same rules) into that element in place; one with a new
 *   objectId is appended (its `null` members dropped, as for any new member); target elements the
 *   patch does not mention stay, so an empty patch array changes nothing.
 * - Any other array, and any scalar, replaces the target whole.
 * `__proto__`, `constructor` and `prototype` keys anywhere in the patch are refused with a
 * FORBIDDEN_KEY DomainError.
 */
export function mergeByObjectId(target: JsonValue, patch: JsonValue): JsonValue {
  assertNoForbiddenKeys(patch);
  return mergeInto(structuredClone(target), patch, mergeArrays);
}

export function isIdentifiedObject(value: JsonValue | undefined): value is IdentifiedObject {
  return isJsonObject(value) && Object.hasOwn(value, 'objectId') && typeof value.objectId === 'string';
}

/** Arrays of identified objects merge by objectId; any other array is replaced (null). */
const mergeArrays: ArrayMerge = (target, patch) => {
  if (!Array.isArray(target) || !target.every(isIdentifiedObject) || !patch.every(isIdentifiedObject)) return null;
  const result: JsonValue[] = target;
  for (const element of patch) {
    const index = result.findIndex((existing) => isIdentifiedObject(existing) && existing.objectId === element.objectId);
    if (index === -1) result.push(mergeInto(undefined, element, mergeArrays));
    else result[index] = mergeInto(result[index], element, mergeArrays);
  }
  return result;
};
