import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import Koa from 'koa';
import Router from 'koa-router';
import { methodNotAllowed } from '../src/middleware/methodNotAllowed.js';
import { createRouteTable } from '../src/routeTable.js';

/** Two tables as the app stacks them (Allow first, then each table's routes), counting the patterns tried. */
async function serve(t: import('ava').ExecutionContext) {
  const first = new Router();
  first.use(async (ctx, next) => {
    ctx.state.trail = ['first-use'];
    await next();
  });
  first.get('/plans/:id', (ctx) => {
    ctx.body = { id: ctx.params.id, route: (ctx as unknown as { _matchedRoute: string })._matchedRoute, trail: [...(ctx.state.trail as string[]), 'get'] };
  });
  const second = new Router();
  second.patch('/plans/:id', (ctx) => {
    ctx.body = { patched: ctx.params.id };
  });
  second.get('/other/:a/:b', (ctx) => {
    ctx.body = { a: ctx.params.a, b: ctx.params.b };
  });
  let matches = 0;
  for (const layer of [...first.stack, ...second.stack]) {
    const match = layer.match.bind(layer);
    layer.match = (path) => {
      matches += 1;
      return match(path);
    };
  }
  const tables = [createRouteTable(first), createRouteTable(second)];
  const app = new Koa();
  app.use(methodNotAllowed(tables));
  for (const table of tables) app.use(table.routes);
  const server = createServer(app.callback()).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    async call(method: string, path: string) {
      const before = matches;
      const response = await fetch(`${base}${path}`, { method });
      const text = await response.text();
      return { status: response.status, allow: response.headers.get('allow'), body: response.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as Record<string, unknown>) : text, matches: matches - before };
    },
  };
}

test('a request runs the route it matches with its params and middleware, each table matched once', async (t) => {
  const app = await serve(t);
  const got = await app.call('GET', '/plans/p%201');
  t.is(got.status, 200);
  t.deepEqual(got.body, { id: 'p 1', route: '/plans/:id', trail: ['first-use', 'get'] });
  // The first table's two routes, once, though the Allow check and the dispatch both ask; the
  // second table is never scanned, since a route of the first takes the request.
  t.is(got.matches, 2);
  t.deepEqual((await app.call('GET', '/other/x/y')).body, { a: 'x', b: 'y' });
  t.deepEqual((await app.call('PATCH', '/plans/q')).body, { patched: 'q' });
});

test('a method no route takes is a 405 with the methods of both tables; OPTIONS lists them; unknown paths are 404', async (t) => {
  const app = await serve(t);
  const refused = await app.call('DELETE', '/plans/p1');
  t.is(refused.status, 405);
  t.is(refused.allow, 'GET, HEAD, PATCH, OPTIONS');
  const options = await app.call('OPTIONS', '/plans/p1');
  t.is(options.status, 204);
  t.is(options.allow, 'GET, HEAD, PATCH, OPTIONS');
  t.is((await app.call('GET', '/nowhere')).status, 404);
});

test('a table matches exactly as koa-router does, for paths of every shape and case', (t) => {
  const router = new Router();
  router.use(async (_ctx, next) => next());
  router.get('/v1/plans', () => undefined);
  router.get('/v1/plans/:id', () => undefined);
  router.patch('/v1/plans/:id', () => undefined);
  router.get('/v1/plans/:id/history', () => undefined);
  router.get('/v1/files{/:name}', () => undefined);
  router.get('/v1/all/*rest', () => undefined);
  router.get('/health', () => undefined);
  router.get('/v1/schema/plan', () => undefined);
  const table = createRouteTable(router);
  const paths = ['/', '', '/v1', '/v1/plans', '/v1/plans/', '/V1/PLANS/abc', '/v1/plans/a%2Fb', '/v1/plans/abc/history', '/v1/plans/abc/history/', '/v1/plans/abc/other',
    '/v1/files', '/v1/files/x', '/v1/all/a/b/c', '/v1/all', '/HEALTH', '/healthz', '/v1/schema/plan', '/v1/schema', '/v1/plansx', '/İv1/plans', '/v1/pl%61ns/x'];
  const names = (layers: readonly Router.Layer[]) => layers.map((layer) => `${layer.methods.join('|')} ${layer.path}`);
  for (const path of paths) {
    for (const method of ['GET', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS']) {
      const expected = router.match(path, method);
      const got = table.match({ path, method } as unknown as import('koa').Context);
      t.deepEqual({ path: names(got.path), pathAndMethod: names(got.pathAndMethod), route: got.route }, { path: names(expected.path), pathAndMethod: names(expected.pathAndMethod), route: expected.route }, `${method} ${path}`);
    }
  }
});
