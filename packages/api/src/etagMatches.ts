/**
 * Whether an `If-None-Match` / `If-Match` header value names `etag`: `*` matches any current
 * representation; otherwise a comma-separated list of entity tags. `weak` comparison (for
 * If-None-Match) ignores the `W/` prefix; strong comparison (for If-Match) never matches a weak tag.
 */
export function etagMatches(header: string, etag: string, { weak }: { weak: boolean }): boolean {
  if (header.trim() === '*') return true;
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? []).some((candidate) => {
    if (candidate.startsWith('W/')) return weak && candidate.slice(2) === etag;
    return candidate === etag;
  });
}
