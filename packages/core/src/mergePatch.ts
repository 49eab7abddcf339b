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

/** RFC 7396 MergePatch(Target, Patch), section 2, writing into `target`, a copy the caller owns. */
function mergeInto(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return structuredClone(patch);
  const result = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergeInto(Object.hasOwn(result, key) ? result[key] : undefined, value);
  }
  return result;
}
