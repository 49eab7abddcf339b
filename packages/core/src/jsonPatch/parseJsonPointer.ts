/** A parsed RFC 6901 pointer: its reference tokens, unescaped, or why the text is not a pointer. */
export type ParsedPointer = { readonly ok: true; readonly segments: readonly string[] } | { readonly ok: false; readonly reason: string };

const ROOT: ParsedPointer = { ok: true, segments: [] };

/**
 * Parses a JSON Pointer (RFC 6901 §3): empty, or '/'-separated tokens where '~' appears only as
 * '~0' (for '~') or '~1' (for '/'). Tokens are unescaped '~1' first, then '~0' (§4), so '~01' is '~1'.
 */
export function parseJsonPointer(pointer: string): ParsedPointer {
  if (pointer === '') return ROOT;
  if (!pointer.startsWith('/')) return { ok: false, reason: `'${pointer}' is not a JSON Pointer: it must be empty or start with '/'` };
  const bad = /~(?![01])/.exec(pointer);
  if (bad) {
    const escape = pointer.slice(bad.index, bad.index + 2);
    return { ok: false, reason: `'${pointer}' is not a JSON Pointer: '${escape}' at position ${bad.index} is no escape; write ~0 for '~' and ~1 for '/'` };
  }
  const segments = pointer.slice(1).split('/');
  return { ok: true, segments: pointer.includes('~') ? segments.map(unescapeToken) : segments };
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The pointer text of the first `length` segments, escaped again (for messages). */
export function pointerOf(segments: readonly string[], length = segments.length): string {
  let text = '';
  for (let i = 0; i < length; i += 1) text += `/${segments[i]!.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return text;
}
