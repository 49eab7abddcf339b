import jsonPatch from 'fast-json-patch';
import { DomainError } from './errors.js';
import { isForbiddenKey } from './forbiddenKeys.js';
import type { JsonPatch } from './planEvent.js';
import type { JsonValue } from './planDocument.js';

/**
 * Applies an RFC 6902 patch, all or nothing, without touching `document`.
 * Operations are validated and prototype paths refused before anything is applied.
 */
export function applyJsonPatch(document: JsonValue | null, patch: JsonPatch): JsonValue {
  for (const [index, operation] of patch.entries()) {
    const paths = 'from' in operation ? [operation.path, operation.from] : [operation.path];
    for (const path of paths) {
      if (path.split('/').some((segment) => isForbiddenKey(segment.replace(/~1/g, '/').replace(/~0/g, '~')))) {
        throw new DomainError('FORBIDDEN_KEY', `Operation ${index} uses a path that is not allowed.`, [
          { pointer: `/${index}/path`, message: `'${path}' reaches a forbidden key` },
        ]);
      }
    }
  }
  try {
    return jsonPatch.applyPatch(document, patch, true, false, true).newDocument as JsonValue;
  } catch (error) {
    if (error instanceof jsonPatch.JsonPatchError) {
      const index = error.index ?? 0;
      throw new DomainError('PATCH_FAILED', `The patch cannot be applied: ${error.name} at operation ${index}.`, [
        { pointer: `/${index}`, message: error.name },
      ]);
    }
    throw error;
  }
}

/** The minimal RFC 6902 patch that turns `from` into `to`. */
export function diffDocuments(from: JsonValue, to: JsonValue): JsonPatch {
  return jsonPatch.compare(from as object, to as object);
}
