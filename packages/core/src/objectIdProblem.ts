/** The characters an objectId may hold: none of them is changed or dropped on the way through a URL. */
export const OBJECT_ID_CHARACTERS = /^[A-Za-z0-9._:-]+$/;
/** `.` and `..` are dot segments: URL normalisation removes them, so `/v1/plans/..` is unreachable. */
const DOT_SEGMENT = /^\.{1,2}$/;
const MAX_OBJECT_ID_LENGTH = 128;

/**
 * Why `id` cannot be an objectId, or null when it can. An objectId becomes a path segment
 * (`Location: /v1/plans/<id>`, `/objects/<id>`), so it must come back unchanged from any client:
 * no `/`, `?`, `#`, `%`, whitespace or control characters, not empty, and not a dot segment.
 * The schema's OBJECT_ID pattern says the same; this gives the reason in words.
 */
export function objectIdProblem(id: string): string | null {
  if (id.length === 0) return 'must not be empty';
  if (id.length > MAX_OBJECT_ID_LENGTH) return `must be at most ${MAX_OBJECT_ID_LENGTH} characters`;
  if (DOT_SEGMENT.test(id)) return `must not be '${id}': URLs drop '.' and '..' segments, so the object could not be read back at its URL`;
  if (!OBJECT_ID_CHARACTERS.test(id)) {
    const found = [...id].find((char) => !OBJECT_ID_CHARACTERS.test(char)) ?? '';
    return `may hold only letters, digits, '.', '_', ':' and '-' so that its URL round-trips; found ${JSON.stringify(found)}`;
  }
  return null;
}
