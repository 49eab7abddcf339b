import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import Koa from 'koa';
import { problemDetails } from '../src/middleware/problemDetails.js';
import { requestDeadline } from '../src/middleware/requestDeadline.js';

/** problemDetails and the deadline as the app stacks them, over a handler that never finishes unless told. */
async function serve(t: import('ava').ExecutionContext, ms: number) {
  let finishLate: (() => void) | undefined;
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    ctx.state.requestId = 'r1';
    await next();
  });
  app.use(problemDetails);
  app.use(requestDeadline(ms));
  app.use(async (ctx) => {
    if (ctx.path === '/quick') {
      ctx.body = { ok: true };
      return;
    }
    await new Promise<void>((resolve) => (finishLate = resolve));
    ctx.status = 201;
    ctx.body = { late: true };
  });
  const server = createServer(app.callback()).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, finishLate: () => finishLate?.() };
}

test('requestDeadline › a read past the deadline is a 503 unavailable problem with Retry-After', async (t) => {
  const { base, finishLate } = await serve(t, 200);
  const response = await fetch(`${base}/slow`);
  t.is(response.status, 503);
  t.regex(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  t.is(response.headers.get('retry-after'), '1');
  t.like(await response.json(), { type: '/problems/unavailable', status: 503 });
  finishLate();
});

test('requestDeadline › a write past the deadline is 503 write-outcome-unknown, and the handler finishing later changes nothing', async (t) => {
  const { base, finishLate } = await serve(t, 200);
  const response = await fetch(`${base}/slow`, { method: 'POST' });
  t.is(response.status, 503);
  t.is(response.headers.get('retry-after'), '1');
  const body = (await response.json()) as { type: string; detail: string };
  t.is(body.type, '/problems/write-outcome-unknown');
  t.regex(body.detail, /may or may not have been applied/);
  finishLate();
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.is((await fetch(`${base}/quick`)).status, 200, 'the server goes on serving');
});

test('requestDeadline › a request that finishes in time is answered by its handler', async (t) => {
  const { base } = await serve(t, 1000);
  const response = await fetch(`${base}/quick`);
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { ok: true });
});
