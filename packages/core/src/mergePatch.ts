import { assertNoForbiddenKeys } from './forbiddenKeys.js';
import { isJsonObject, type JsonValue } from './planDocument.js';

/**
 * Applies an RFC 7396 JSON Merge Patch (`application/merge-patch+json`) without touching either
 * input: `null` deletes a member, an object merges member by member, anything else (arrays
 * included) replaces the target whole. `__proto__`, `constructor` and `prototype` keys anywhere
 * in the patch are refused with a FORBIDDEN_KEY DomainError.
 */
export function applyMergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  assertNoForbiddenKeys(patch);
  return mergeInto(structuredClone(target), patch);
}

/** Merges an array patch into a target instead of replacing it, or returns null to replace as RFC 7396 does. */
export type ArrayMerge = (target: JsonValue | undefined, patch: JsonValue[]) => JsonValue | null;

/**
 * RFC 7396 MergePatch(Target, Patch), section 2, writing into `target`, a copy the caller owns.
 * `mergeArray` lets a variant merge some arrays (the objectId merge does).
 */
export function mergeInto(target: JsonValue | undefined, patch: JsonValue, mergeArray?: ArrayMerge): JsonValue {
  const merged = Array.isArray(patch) && mergeArray ? mergeArray(target, patch) : null;
  if (merged !== null) return merged;
  if (!isJsonObject(patch)) return structuredClone(patch);
  const result = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergeInto(Object.hasOwn(result, key) ? result[key] : undefined, value, mergeArray);
  }
  return result;
}
