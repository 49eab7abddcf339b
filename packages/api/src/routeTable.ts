import compose from 'koa-compose';
import type { Context, Middleware, Next } from 'koa';
import type Router from 'koa-router';

type Layer = Router.Layer;

/** The routes a request's path and method match, as `router.match` reports them. */
export interface RouteMatch {
  /** Every route whose path matches, whatever its methods. */
  readonly path: readonly Layer[];
  /** Those that also take the request's method (or any method). */
  readonly pathAndMethod: readonly Layer[];
  /** Whether a route with methods of its own takes the request (not only method-less middleware). */
  readonly route: boolean;
}

/** What koa-router's dispatch leaves on the context for the handlers (params) and for metrics. */
interface RoutedContext extends Context {
  captures?: string[];
  params: Record<string, string>;
  routerPath?: string;
  routerName?: string | null;
  _matchedRoute?: string;
  _matchedRouteName?: string;
  matched?: Layer[];
  router?: Router;
}

/**
 * A router's routes, dispatched as koa-router dispatches them but with the work done once: each
 * route's chain (set the params, then the route's middleware) is composed when the table is made,
 * not for every request, and the request's match is found once and kept for the request, so the
 * middleware that answers 405 and OPTIONS from the same routes (`methodNotAllowed`) does not scan
 * them again. koa-router's own `routes()` scans every route of its router per call and composes a
 * fresh chain for the matched ones (with its debug calls, ~13% of a GET's profile). The match is
 * koa-router's rule (a route's pattern matches the path; it takes the method, or has none), each
 * pattern tried only when the path starts with the pattern's literal prefix.
 */
export interface RouteTable {
  /** The request's match (found on first ask, the same object for the rest of the request). */
  match(ctx: Context): RouteMatch;
  /** Runs the routes that take the request, in order; passes on when none does. */
  readonly routes: Middleware;
}

export function createRouteTable(router: Router): RouteTable {
  // The router's routes as they are now, each with its chain and the literal text its path starts
  // with: a path that does not start with it (in any case) cannot match, so its pattern is not tried.
  const routes = router.stack.map((layer) => ({ layer, prefix: literalPrefixOf(layer) }));
  const chains = new Map(router.stack.map((layer) => [layer, chainOf(layer)] as const));
  const chainFor = (layer: Layer): Middleware => chains.get(layer)!;
  /** As `router.match(path, method)` finds them, without its debug call per route. */
  const find = (path: string, method: string): RouteMatch => {
    const lower = path.toLowerCase();
    const onPath: Layer[] = [];
    const onPathAndMethod: Layer[] = [];
    let route = false;
    for (const { layer, prefix } of routes) {
      if (!lower.startsWith(prefix) || !layer.match(path)) continue;
      onPath.push(layer);
      if (layer.methods.length === 0 || layer.methods.includes(method)) {
        onPathAndMethod.push(layer);
        if (layer.methods.length > 0) route = true;
      }
    }
    return { path: onPath, pathAndMethod: onPathAndMethod, route };
  };
  const found = new WeakMap<Context, { path: string; method: string; matched: RouteMatch }>();
  const match = (ctx: Context): RouteMatch => {
    const known = found.get(ctx);
    // Kept for the request's path and method as they were asked about (a rewrite asks again).
    if (known && known.path === ctx.path && known.method === ctx.method) return known.matched;
    const matched = find(ctx.path, ctx.method);
    found.set(ctx, { path: ctx.path, method: ctx.method, matched });
    return matched;
  };
  const dispatch: Middleware = (ctx, next) => {
    const routed = ctx as RoutedContext;
    const matched = match(ctx);
    // A copy: a later table's dispatch appends its own matches to `ctx.matched`.
    routed.matched = routed.matched ? [...routed.matched, ...matched.path] : [...matched.path];
    routed.router = router;
    if (!matched.route) return next();
    const layers = matched.pathAndMethod;
    routed._matchedRoute = layers[layers.length - 1]!.path;
    return layers.length === 1 ? chainFor(layers[0]!)(ctx, next) : compose(layers.map(chainFor))(ctx, next);
  };
  return { match, routes: dispatch };
}

/** A route's chain: set what koa-router's dispatch sets on the context (params, matched route), then its middleware. */
function chainOf(layer: Layer): Middleware {
  const enter = (ctx: Context, next: Next) => {
    const routed = ctx as RoutedContext;
    routed.captures = layer.captures(routed.path);
    routed.params = layer.params(routed.path, routed.captures, routed.params) as Record<string, string>;
    (ctx.request as { params?: Record<string, string> }).params = routed.params;
    routed.routerPath = layer.path;
    routed.routerName = layer.name;
    routed._matchedRoute = layer.path;
    if (layer.name) routed._matchedRouteName = layer.name;
    return next();
  };
  return compose([enter, ...(layer.stack as Middleware[])]);
}

/**
 * The lowercase literal text a route's path pattern starts with, up to its first parameter,
 * wildcard, group or escape ('' for a pattern given as a regular expression). Every path the
 * pattern matches (case-insensitively, as koa-router matches by default) starts with it.
 */
function literalPrefixOf(layer: Layer): string {
  const { path, opts } = layer as Layer & { path: unknown; opts?: { pathAsRegExp?: boolean } };
  if (typeof path !== 'string' || opts?.pathAsRegExp === true) return '';
  const special = path.search(/[:*{}()[\]?+!\\]/);
  return (special < 0 ? path : path.slice(0, special)).toLowerCase();
}
