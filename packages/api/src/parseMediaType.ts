/** A media type as RFC 9110 §8.3.1 reads it: type and subtype lower-cased, parameters by lower-cased name. */
export interface MediaType {
  /** `type/subtype`, lower case, without parameters (`application/json`). */
  readonly type: string;
  /** Parameter values as sent (quoted strings unquoted); names lower case. */
  readonly parameters: ReadonlyMap<string, string>;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const TYPE = new RegExp(`^[ \\t]*(${TOKEN})/(${TOKEN})`);
const PARAMETER = new RegExp(`[ \\t]*;[ \\t]*(?:(${TOKEN})=(?:(${TOKEN})|"((?:[^"\\\\\\x00-\\x08\\x0a-\\x1f\\x7f]|\\\\[\\t\\x20-\\x7e\\x80-\\xff])*)"))?`, 'y');

/**
 * Parses a `Content-Type` value (`APPLICATION/JSON; charset="UTF-8"`); null when it is not a
 * media type. Type, subtype and parameter names are case-insensitive, so they come back lower case.
 */
export function parseMediaType(header: string): MediaType | null {
  const head = TYPE.exec(header);
  if (!head) return null;
  const parameters = new Map<string, string>();
  let at = head[0].length;
  for (;;) {
    PARAMETER.lastIndex = at;
    const match = PARAMETER.exec(header);
    if (!match || match[0].length === 0) break;
    at = PARAMETER.lastIndex;
    const name = match[1]?.toLowerCase();
    if (name !== undefined && !parameters.has(name)) parameters.set(name, match[2] ?? (match[3] ?? '').replace(/\\(.)/g, '$1'));
  }
  if (!/^[ \t]*$/.test(header.slice(at))) return null;
  return { type: `${head[1]!}/${head[2]!}`.toLowerCase(), parameters };
}
