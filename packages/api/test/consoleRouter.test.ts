import test from 'ava';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { problemDetails } from '../src/middleware/problemDetails.js';
import { consoleRouter } from '../src/routes/consoleRouter.js';

let parent: string;
let dir: string;
let server: Server;
let base: string;
const config = { issuer: 'http://127.0.0.1:4000', clientId: 'planledger-console', scope: 'plans:read' };

test.before(async () => {
  parent = await mkdtemp(join(tmpdir(), 'planledger-console-'));
  dir = join(parent, 'build');
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(join(parent, 'outside.txt'), 'secret');
  const app = new Koa();
  app.use(problemDetails);
  app.use(consoleRouter({ dir, config }));
  app.use((ctx) => {
    ctx.status = 401; // stands for the bearer check behind the console
  });
  server = createServer(app.callback()).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after.always(async () => {
  server?.close();
  await rm(parent, { recursive: true, force: true });
});

test('console files › a hashed asset is served without a token and cached for a year', async (t) => {
  const response = await fetch(`${base}/console/assets/index-abc123.js`);
  t.is(response.status, 200);
  t.is(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
  t.is(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  t.is(await response.text(), 'console.log(1)');
  const again = await fetch(`${base}/console/assets/index-abc123.js`, { headers: { 'if-none-match': response.headers.get('etag') ?? '' } });
  t.is(again.status, 304);
});

test('console files › every page path answers index.html, revalidated, with a CSP naming the issuer', async (t) => {
  for (const path of ['/console/', '/console/plans/some-plan/history', '/console/admin?x=1']) {
    const response = await fetch(`${base}${path}`);
    t.is(response.status, 200, path);
    t.is(response.headers.get('cache-control'), 'no-cache');
    t.regex(response.headers.get('content-security-policy') ?? '', /connect-src 'self' http:\/\/127\.0\.0\.1:4000/);
    t.regex(await response.text(), /<title>console<\/title>/);
  }
  const bare = await fetch(`${base}/console`, { redirect: 'manual' });
  t.is(bare.status, 302);
  t.is(bare.headers.get('location'), '/console/');
});

test('console files › config.json tells the console its issuer and client', async (t) => {
  const response = await fetch(`${base}/console/config.json`);
  t.deepEqual(await response.json(), config);
});

test('console files › a missing asset is a 404 problem, not the app; paths outside the build are never read', async (t) => {
  const missing = await fetch(`${base}/console/assets/nope.js`);
  t.is(missing.status, 404);
  t.regex(missing.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const escaped = await fetch(`${base}/console/assets/..%2F..%2Foutside.txt`);
  t.not(await escaped.text(), 'secret');
  const malformed = await fetch(`${base}/console/assets/%E0%A4%A`);
  t.is(malformed.status, 400);
});

test('console files › writes are 405 with Allow; paths beside /console are left to the api', async (t) => {
  const post = await fetch(`${base}/console/plans`, { method: 'POST' });
  t.is(post.status, 405);
  t.is(post.headers.get('allow'), 'GET, HEAD, OPTIONS');
  t.is((await fetch(`${base}/consoleish`)).status, 401);
  t.is((await fetch(`${base}/v1/plans`)).status, 401);
});
