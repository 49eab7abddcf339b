/** The strong ETag of a plan version: the log version is its basis. */
export function planEtag(version: number): string {
  return `"v${version}"`;
}

/** The version an ETag names, or null if it is not exactly one we give out (`"v03"` is not `"v3"`). */
export function parseEtag(etag: string): number | null {
  const match = /^"v(0|[1-9]\d{0,15})"$/.exec(etag.trim());
  return match ? Number(match[1]) : null;
}
