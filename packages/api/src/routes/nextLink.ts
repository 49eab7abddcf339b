import type { Context } from 'koa';

/**
 * The one paging convention of the api: the next page's link both as an RFC 8288
 * `Link: <…>; rel="next"` header and as the body's `next` (null on the last page).
 */
export function nextLink(ctx: Context, href: string | null): string | null {
  if (href !== null) ctx.append('Link', `<${href}>; rel="next"`);
  return href;
}

/** `path?name=value&…` with every value percent-encoded (brackets too), arrays as repeated names. */
export function hrefOf(path: string, params: Record<string, unknown>): string {
  const pairs = Object.entries(params).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).filter((item) => item !== undefined && item !== null).map((item) => `${encodeURIComponent(name)}=${encodeURIComponent(String(item))}`));
  return pairs.length === 0 ? path : `${path}?${pairs.join('&')}`;
}
