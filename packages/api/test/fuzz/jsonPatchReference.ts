import jsonPatch from 'fast-json-patch';

export type ReferenceOutcome = { readonly ok: true; readonly document: unknown } | { readonly ok: false; readonly reason: string };

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/** Why RFC 6901/6902 make operation `index` an error on `document`, for rules fast-json-patch does not enforce; null when none. */
function strictViolation(document: unknown, operation: Record<string, unknown>, index: number): string | null {
  const pointers: [string, unknown][] = [['path', operation.path]];
  if (operation.op === 'move' || operation.op === 'copy') pointers.push(['from', operation.from]);
  for (const [member, pointer] of pointers) {
    if (typeof pointer !== 'string') return `operation ${index}: ${member} is not a string`;
    if (pointer !== '' && !pointer.startsWith('/')) return `operation ${index}: ${member} '${pointer}' does not start with '/'`;
    if (/~(?![01])/.test(pointer)) return `operation ${index}: ${member} '${pointer}' has a '~' not followed by 0 or 1`;
    const tokens = pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node: unknown = document;
    for (const [depth, token] of tokens.entries()) {
      const last = depth === tokens.length - 1;
      if (Array.isArray(node)) {
        const endAllowed = last && member === 'path' && (operation.op === 'add' || operation.op === 'move' || operation.op === 'copy');
        if (!ARRAY_INDEX.test(token) && !(token === '-' && endAllowed)) return `operation ${index}: ${member} '${pointer}' has array index '${token}' (RFC 6901: 0 or digits without a leading zero)`;
        node = node[Number(token)];
      } else if (typeof node === 'object' && node !== null) {
        node = Object.hasOwn(node, token) ? (node as Record<string, unknown>)[token] : undefined;
      } else {
        break;
      }
    }
  }
  if (operation.op === 'move' && typeof operation.from === 'string' && typeof operation.path === 'string' && operation.path.startsWith(`${operation.from}/`)) {
    return `operation ${index}: move from '${operation.from}' into its own child '${operation.path}' (RFC 6902 §4.4)`;
  }
  return null;
}

/**
 * The reference for an `application/json-patch+json` body: fast-json-patch's applyPatch with
 * validation on, operation by operation, plus the RFC 6901 array-index rule and RFC 6902's
 * "move into own child" rule that the library does not enforce. Any failure means the patch must
 * be refused as a whole.
 */
export function jsonPatchReference(before: unknown, patch: unknown): ReferenceOutcome {
  if (!Array.isArray(patch)) return { ok: false, reason: 'not an array' };
  let document: unknown = structuredClone(before);
  for (const [index, operation] of patch.entries()) {
    if (typeof operation !== 'object' || operation === null || Array.isArray(operation)) return { ok: false, reason: `operation ${index} is not an object` };
    const violation = strictViolation(document, operation as Record<string, unknown>, index);
    if (violation) return { ok: false, reason: violation };
    try {
      document = jsonPatch.applyPatch(document, [structuredClone(operation) as jsonPatch.Operation], true).newDocument;
    } catch (error) {
      return { ok: false, reason: `operation ${index}: ${(error as Error).name}: ${(error as Error).message.split('\n')[0]}` };
    }
  }
  return { ok: true, document };
}
