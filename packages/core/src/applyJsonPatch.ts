import jsonPatch from 'fast-json-patch';
import { applyCompiledPatch } from './jsonPatch/applyCompiledPatch.js';
import type { JsonPatch } from './jsonPatch/jsonPatchTypes.js';
import { compileJsonPatch } from './jsonPatch/validateJsonPatch.js';
import type { JsonValue } from './planDocument.js';

/**
 * Applies an RFC 6902 patch, all or nothing, without touching `document` or the patch. Every
 * operation is validated first (INVALID_PATCH or FORBIDDEN_KEY, both before anything applies);
 * a well-formed patch that cannot apply is PATCH_FAILED. The patch is typed, but checked as if it
 * came from outside, so a cast never turns into a TypeError. The result shares untouched
 * subtrees with `document`.
 */
export function applyJsonPatch(document: JsonValue | null, patch: JsonPatch): JsonValue {
  return applyCompiledPatch(document, compileJsonPatch(patch));
}

/** The minimal RFC 6902 patch that turns `from` into `to`. */
export function diffDocuments(from: JsonValue, to: JsonValue): JsonPatch {
  // compare() emits only add, remove and replace (test only when asked to be invertible).
  return jsonPatch.compare(from as object, to as object) as JsonPatch;
}
