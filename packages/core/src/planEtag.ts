/** The strong ETag of a plan version: the log version is its basis. */
export function planEtag(version: number): string {
  return `"v${version}"`;
}

/** The version an ETag names, or null if it is not one of ours. */
export function parseEtag(etag: string): number | null {
  const match = /^"v(\d+)"$/.exec(etag.trim());
  return match ? Number(match[1]) : null;
}
