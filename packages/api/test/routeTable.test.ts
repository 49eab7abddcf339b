import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import Koa from 'koa';
import Router from 'koa-router';
import { methodNotAllowed } from '../src/middleware/methodNotAllowed.js';
import { createRouteTable } from '../src/routeTable.js';

/** Two tables as the app stacks them (Allow first, then each table's routes), counting router.match calls. */
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
  for (const router of [first, second]) {
    const match = router.match.bind(router);
    router.match = (path, method) => {
      matches += 1;
      return match(path, method);
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
  t.is(got.matches, 2, 'one match per table, though the Allow check and the dispatch both ask');
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
