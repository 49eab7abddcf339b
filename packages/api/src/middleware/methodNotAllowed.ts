import type { Context, Middleware, Next } from 'koa';
import type { RouteTable } from '../routeTable.js';

/** An Allow-worthy error: 405 with the methods the resource supports (RFC 9110 §15.5.6). */
export class MethodNotAllowed extends Error {
  readonly status = 405;
  readonly expose = true;
  readonly headers: Record<string, string>;

  constructor(method: string, path: string, allowed: readonly string[]) {
    super(`${path} does not support ${method}; it supports ${allowed.join(', ')}.`);
    this.headers = { Allow: allowed.join(', ') };
  }
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const rank = (method: string) => (ORDER.includes(method) ? ORDER.indexOf(method) : ORDER.length);

/**
 * For a path some route serves: `OPTIONS` answers 204 with `Allow` (no token needed: it reveals
 * only which methods exist), any method no route takes there (TRACE, CONNECT, PROPFIND, …) is a
 * 405 with `Allow`. Paths no route serves pass on (and end as 404, or 401 without a token).
 */
export function methodNotAllowed(tables: readonly RouteTable[]): Middleware {
  return async function methodNotAllowedMiddleware(ctx: Context, next: Next): Promise<void> {
    // The common case first: a route takes the request as it is.
    if (ctx.method !== 'OPTIONS' && tables.some((table) => table.match(ctx).route)) return next();
    const allowed = new Set<string>();
    for (const table of tables) {
      for (const layer of table.match(ctx).path) layer.methods.forEach((method) => allowed.add(method));
    }
    if (allowed.size === 0 || (allowed.has(ctx.method) && ctx.method !== 'OPTIONS')) return next();
    allowed.add('OPTIONS');
    const methods = [...allowed].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    if (ctx.method === 'OPTIONS') {
      ctx.set('Allow', methods.join(', '));
      ctx.status = 204;
      return;
    }
    throw new MethodNotAllowed(ctx.method, ctx.path, methods);
  };
}
