import test from 'ava';
import { request as httpRequest, type Server } from 'node:http';
import { InMemoryPlanDirectory, refOfPlan, type PlanDocument } from '@planledger/core';
import { createRedisKeys, RedisEventLog, RedisPartitionLog } from '@planledger/core/redis';
import { aPlan } from '../../core/test/planMother.js';
import { connectTestRedis, deleteKeys, randomPrefix } from '../../core/test/redisTestContext.js';
import { startTestIdp, type TestIdp } from '../../idp/test/startTestIdp.js';
import { apiClient, type ApiClient } from './apiClient.js';
import { devToken, startSecuredApi } from './authTestContext.js';
import { checkedFetch } from './contract/checkedFetch.js';

// The api over the real Redis log and the real identity provider; the listing's read model is the
// in-memory twin, fed here from the log (no projector runs in this suite).
let idp: TestIdp;
let api: { baseUrl: string; server: Server };
let log: RedisEventLog;
let directory: InMemoryPlanDirectory;
let writer: ApiClient;
let auditor: ApiClient;
const redis = connectTestRedis();
const prefix = randomPrefix('http');

test.before(async () => {
  idp = await startTestIdp();
  const keys = createRedisKeys({ prefix, partitions: 4 });
  log = new RedisEventLog(redis, keys, { snapshotEvery: 10 });
  directory = new InMemoryPlanDirectory();
  api = await startSecuredApi(idp.idp.issuer, { log, partitions: new RedisPartitionLog(redis, keys), directory });
  [writer, auditor] = await Promise.all([apiClient(api.baseUrl, idp.idp.issuer, 'dev-writer'), apiClient(api.baseUrl, idp.idp.issuer, 'dev-auditor')]);
});
test.after.always(async () => {
  api?.server.close();
  await idp?.stop();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

async function created(plan: PlanDocument = aPlan()): Promise<{ plan: PlanDocument; path: string }> {
  const response = await writer.post('/v1/plans', plan);
  if (response.status !== 201) throw new Error(`create answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { plan, path: `/v1/plans/${plan.objectId}` };
}
/** A plan at version 2: created, then planType changed. */
async function twoVersions(): Promise<{ plan: PlanDocument; path: string }> {
  const { plan, path } = await created();
  const patched = await writer.patch(path, { planType: 'outOfNetwork' }, 'application/merge-patch+json', '"v1"');
  if (patched.status !== 200) throw new Error(`patch answered ${patched.status}`);
  return { plan, path };
}
const eventCount = async (planId: string, org = 'example.com') => (await log.events({ org, planId })).length;
const isProblem = (headers: Headers) => /^application\/problem\+json/.test(headers.get('content-type') ?? '');

/** fetch refuses TRACE and friends: send any method over node:http. */
async function rawRequest(method: string, path: string, authorization: string): Promise<{ status: number; allow: string; type: string; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${api.baseUrl}${path}`, { method, headers: { authorization } }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, allow: String(response.headers.allow ?? ''), type: String(response.headers['content-type'] ?? ''), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    request.on('error', reject);
    request.end();
  });
}

// 4: unsupported methods

test('unsupported methods › TRACE, CONNECT-like and unrouted methods on every route are 405 with Allow, never internal', async (t) => {
  const { path } = await created();
  const routes: [string, RegExp][] = [
    ['/v1/plans', /^GET, HEAD, POST, OPTIONS$/],
    [path, /^GET, HEAD, PUT, PATCH, DELETE, OPTIONS$/],
    [`${path}/history`, /^GET, HEAD, OPTIONS$/],
    [`${path}/diff`, /^GET, HEAD, OPTIONS$/],
    ['/v1/search', /^GET, HEAD, POST, OPTIONS$/],
    ['/v1/schema/plan', /^GET, HEAD, OPTIONS$/],
    ['/health/live', /^GET, HEAD, OPTIONS$/],
    ['/health/ready', /^GET, HEAD, OPTIONS$/],
  ];
  const authorization = `Bearer ${await devToken(idp.idp.issuer, 'dev-writer')}`;
  for (const [route, allow] of routes) {
    for (const method of ['TRACE', 'PROPFIND', 'DELETE', 'PUT']) {
      if (route === path && ['DELETE', 'PUT'].includes(method)) continue;
      const response = await rawRequest(method, route, authorization);
      t.is(response.status, 405, `${method} ${route}`);
      t.regex(response.allow, allow, `${method} ${route}`);
      t.regex(response.type, /^application\/problem\+json/);
      t.is(response.body.type, '/problems/http-405');
      t.regex(String(response.body.detail), new RegExp(`does not support ${method}`));
    }
  }
  t.is(await eventCount(path.split('/').at(-1) ?? ''), 1);
});

test('OPTIONS › 204 with Allow on every route, without a token', async (t) => {
  const { path } = await created();
  for (const [route, allow] of [['/v1/plans', 'GET, HEAD, POST, OPTIONS'], [path, 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS'], ['/health/live', 'GET, HEAD, OPTIONS']] as const) {
    const response = await checkedFetch(`${api.baseUrl}${route}`, { method: 'OPTIONS' });
    t.is(response.status, 204, route);
    t.is(response.headers.get('allow'), allow, route);
  }
  // A path no route serves is outside the OpenAPI document: plain fetch on purpose.
  t.is((await fetch(`${api.baseUrl}/v1/nothing-here`, { method: 'OPTIONS' })).status, 401, 'an unknown path is not revealed without a token');
});

// 9: version 0 is nothing

test('diff › from=0 is the plan before it existed: to=1 is the whole creation, to=2 creation plus change', async (t) => {
  const { plan, path } = await twoVersions();
  const first = await auditor.get<{ from: number; to: number; patch: unknown[] }>(`${path}/diff?from=0&to=1`);
  t.is(first.status, 200);
  t.like(first.body, { from: 0, to: 1 });
  const ops = first.body.patch as { op: string; path: string }[];
  t.true(ops.length > 0 && ops.every((op) => op.op === 'add'), 'only additions: from nothing to the created plan');
  t.true(JSON.stringify(ops).includes(plan.objectId));
  t.false(JSON.stringify(first.body.patch).includes('outOfNetwork'), 'not the reverse diff of version 2');
  const whole = await auditor.get<{ patch: unknown[] }>(`${path}/diff?from=0&to=2`);
  t.is(whole.status, 200);
  t.true(JSON.stringify(whole.body.patch).includes('outOfNetwork'), 'the diff from nothing to version 2 holds version 2');
  t.deepEqual((await auditor.get(`${path}/diff?from=0&to=0`)).body.patch, []);
  const tooFar = await auditor.get(`${path}/diff?from=0&to=3`);
  t.is(tooFar.status, 400);
  t.is(tooFar.body.type, '/problems/version-out-of-range');
  t.is(tooFar.body.title, 'Version out of range');
  t.regex(String(tooFar.body.detail), /to=3 is out of range: .* has versions 0…2/);
});

test('log › an empty version range reads no events (LRANGE 0 -1 would read them all)', async (t) => {
  const { plan } = await twoVersions();
  t.deepEqual(await log.events(refOfPlan(plan), { from: 1, to: 0 }), []);
  t.deepEqual(await log.stateAt(refOfPlan(plan), 0), { version: 0, document: null });
});

// 10 and 14: query values

test('asOf › an impossible calendar date or time is 400 naming asOf, not 404', async (t) => {
  const { path } = await created();
  for (const asOf of ['2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:60:00Z', '2026-13-01T00:00:00Z', '2026-01-01T00:00:00+24:00']) {
    const response = await auditor.get(`${path}?asOf=${encodeURIComponent(asOf)}`);
    t.is(response.status, 400, asOf);
    t.is(response.body.type, '/problems/invalid-parameter', asOf);
    t.regex(String(response.body.detail), /^asOf: /, asOf);
  }
  t.is((await auditor.get(`${path}?asOf=2024-02-29T00:00:00Z`)).status, 404, 'a real leap day before the plan: did not exist yet');
  t.is((await auditor.get(`${path}?asOf=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).status, 200);
});

test('version › messages never contradict the input: a large version is out of range for the plan, not "from 1 to MAX"', async (t) => {
  const { path } = await twoVersions();
  const huge = await auditor.get(`${path}?version=9007199254740991`);
  t.is(huge.status, 400);
  t.is(huge.body.type, '/problems/version-out-of-range');
  t.regex(String(huge.body.detail), /version=9007199254740991 is out of range: .* has versions 1…2/);
  const beyond = await auditor.get(`${path}?version=9007199254740992`);
  t.is(beyond.status, 400);
  t.regex(String(beyond.body.detail), /^version: 9007199254740992 is above 9007199254740991/);
  const zero = await auditor.get(`${path}?version=0`);
  t.regex(String(zero.body.detail), /^version: 0 is below 1/);
  const word = await auditor.get(`${path}?version=two`);
  t.regex(String(word.body.detail), /^version: 'two' is not a whole number/);
  t.is(word.body.title, 'Invalid parameter');
  t.is((await auditor.get(`${path}?version=2`)).status, 200);
});

// 11 and 12: conditional requests

test('If-Match › entity tags compare exactly: "v03", W/"v3" and "V3" do not match version 3 (a bare v3 is malformed: 400)', async (t) => {
  const { path } = await twoVersions();
  await writer.patch(path, { planType: 'third' }, 'application/merge-patch+json', '"v2"');
  const planId = path.split('/').at(-1) ?? '';
  for (const tag of ['"v03"', 'W/"v3"', '"V3"', '"v+3"']) {
    const response = await writer.patch(path, { planType: 'changed' }, 'application/merge-patch+json', tag);
    t.is(response.status, 412, tag);
    t.is(response.headers.get('etag'), '"v3"', `412 carries the current ETag (${tag})`);
  }
  t.is(await eventCount(planId), 3);
  t.is((await writer.patch(path, { planType: 'changed' }, 'application/merge-patch+json', '"v1", "v3"')).status, 200, 'a list holding the exact tag matches');
});

test('If-None-Match › on writes: * with If-Match * is 412; a matching tag is 412 (weakly compared); a different one passes', async (t) => {
  const { path, plan } = await created();
  const both = await writer.patch(path, { planType: 'x' }, 'application/merge-patch+json', '*', { 'if-none-match': '*' });
  t.is(both.status, 412);
  t.is(both.headers.get('etag'), '"v1"');
  for (const [method, send] of [
    ['PUT', () => writer.put(path, { ...plan, planType: 'x' }, '*', { 'if-none-match': 'W/"v1"' })],
    ['DELETE', () => writer.delete(path, '*', { 'if-none-match': '"v1"' })],
    ['PATCH', () => writer.patch(path, { planType: 'x' }, 'application/merge-patch+json', '"v1"', { 'if-none-match': '"v0", "v1"' })],
  ] as const) {
    t.is((await send()).status, 412, method);
  }
  t.is(await eventCount(plan.objectId), 1, 'nothing was written');
  t.is((await writer.patch(path, { planType: 'x' }, 'application/merge-patch+json', '*', { 'if-none-match': '"v7"' })).status, 200);
});

test('POST › If-None-Match: * is what a create means; If-Match can never hold (412); an existing plan stays 409', async (t) => {
  const plan = aPlan();
  t.is((await writer.post('/v1/plans', aPlan(), { 'if-match': '*' })).status, 412);
  t.is((await writer.post('/v1/plans', plan, { 'if-none-match': '*' })).status, 201);
  t.is((await writer.post('/v1/plans', plan, { 'if-none-match': '*' })).status, 409);
});

test('If-Unmodified-Since › on writes it is ignored beside the required If-Match (RFC 9110 §13.1.4)', async (t) => {
  const { path } = await created();
  const lastModified = (await writer.get(path)).headers.get('last-modified') ?? '';
  t.regex(lastModified, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  const before = new Date(Date.parse(lastModified) - 60_000).toUTCString();
  const patched = await writer.request('PATCH', path, { body: { planType: 'x' }, type: 'application/merge-patch+json', headers: { 'if-match': '*', 'if-unmodified-since': before } });
  t.is(patched.status, 200);
  t.is((await writer.request('PATCH', path, { body: { planType: 'y' }, type: 'application/merge-patch+json', headers: { 'if-unmodified-since': lastModified } })).status, 428, 'If-Match stays required');
});

test('If-Modified-Since › GET answers 304 when not modified since, 200 after; ignored beside If-None-Match and when invalid', async (t) => {
  const { path } = await created();
  const lastModified = (await writer.get(path)).headers.get('last-modified') ?? '';
  t.is((await writer.get(path, { 'if-modified-since': lastModified })).status, 304);
  t.is((await writer.get(path, { 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() })).status, 200);
  t.is((await writer.get(path, { 'if-modified-since': lastModified, 'if-none-match': '"v9"' })).status, 200, 'If-None-Match takes precedence');
  t.is((await writer.get(path, { 'if-modified-since': 'Mon, 31 Feb 2099 00:00:00 GMT' })).status, 200, 'an invalid date is ignored');
  t.is((await writer.get(path, { 'if-modified-since': '2099-01-01' })).status, 200, 'not an HTTP-date: ignored');
  t.is((await writer.get(path, { 'if-match': '"v9"' })).status, 412, 'If-Match holds for reads too');
});

test('If-Unmodified-Since › without If-Match on a GET: 412 when modified after the date', async (t) => {
  const { path } = await created();
  const lastModified = (await writer.get(path)).headers.get('last-modified') ?? '';
  t.is((await writer.get(path, { 'if-unmodified-since': new Date(Date.parse(lastModified) - 60_000).toUTCString() })).status, 412);
  t.is((await writer.get(path, { 'if-unmodified-since': lastModified })).status, 200);
});

// papercuts

test('query parameters › unknown or repeated parameters are 400 on every route, naming each', async (t) => {
  const { path } = await twoVersions();
  for (const [client, target] of [
    [writer, '/v1/plans?limit=1&cursor=a&cursor=b'],
    [writer, '/v1/plans?page=2'],
    [writer, `${path}?versoin=1`],
    [writer, `${path}?version=1&version=2`],
    [auditor, `${path}/history?from=1&from=2`],
    [auditor, `${path}/diff?from=0&to=1&extra=1`],
    [writer, '/v1/schema/plan?x=1'],
    [writer, `${path}/objects/x?y=1`],
  ] as const) {
    const response = await client.get(target);
    t.is(response.status, 400, target);
    t.is(response.body.type, '/problems/invalid-parameter', target);
    t.true(Array.isArray(response.body.violations), target);
  }
  t.is((await checkedFetch(`${api.baseUrl}/health/live?x=1`)).status, 400);
  const patched = await writer.request('PATCH', `${path}?dryRun=1`, { body: { planType: 'y' }, type: 'application/merge-patch+json', headers: { 'if-match': '*' } });
  t.is(patched.status, 400, 'writes too');
  const both = await writer.get<{ violations: { pointer: string; message: string }[] }>('/v1/plans?cursor=a&cursor=b&nope=1');
  t.deepEqual(both.body.violations.map((v) => v.pointer), ['/cursor', '/nope']);
  t.regex(both.body.violations[0]?.message ?? '', /more than once/);
});

test('problem types › a bad cursor, bad search parameters and a missing nested object each have their own type and title', async (t) => {
  const { path } = await created();
  const cursor = await writer.get('/v1/plans?cursor=garbage');
  t.like(cursor.body, { status: 400, type: '/problems/invalid-cursor', title: 'Invalid cursor' });
  const search = await writer.get('/v1/search?nope=1');
  t.like(search.body, { status: 400, type: '/problems/invalid-parameter', title: 'Invalid parameter' });
  t.regex(String(search.body.detail), /^nope: /);
  const searchCursor = await writer.get('/v1/search?cursor=garbage');
  t.like(searchCursor.body, { status: 400, type: '/problems/invalid-cursor', title: 'Invalid cursor' });
  const object = await writer.get(`${path}/objects/no-such-object`);
  t.like(object.body, { status: 404, type: '/problems/object-not-found', title: 'Object not found' });
  t.regex(String(object.body.detail), /has no object 'no-such-object'/);
  t.like((await writer.get('/v1/plans/no-such-plan')).body, { status: 404, type: '/problems/plan-not-found', title: 'Plan not found' });
});

test('objectType › changing an existing object\'s objectType is 422 (a refused change), as the README says', async (t) => {
  const { path, plan } = await created();
  const changed = await writer.patch(path, [{ op: 'replace', path: '/planCostShares/objectType', value: 'somethingElse' }], 'application/json-patch+json', '"v1"');
  t.is(changed.status, 422);
  t.is(changed.body.type, '/problems/patch-failed');
  t.deepEqual((changed.body.violations as { pointer: string }[]).map((v) => v.pointer), ['/planCostShares/objectType']);
  t.is((await writer.put(path, { ...plan, objectType: 'notAPlan' }, '"v1"')).status, 422);
  t.is(await eventCount(plan.objectId), 1);
});

test('Idempotency-Key replay › answers the same X-Consistency-Token as the original write', async (t) => {
  const plan = aPlan();
  const key = { 'idempotency-key': `k-${plan.objectId}` };
  const first = await writer.post('/v1/plans', plan, key);
  const again = await writer.post('/v1/plans', plan, key);
  t.is(first.status, 201);
  t.is(again.status, 201);
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.regex(first.headers.get('x-consistency-token') ?? '', /^\d+:\d+-\d+$/);
  t.is(again.headers.get('x-consistency-token'), first.headers.get('x-consistency-token'));
});

test('paging › listing and history give the next page as a Link header and the same link in the body', async (t) => {
  const plans = [await twoVersions(), await created(), await created()];
  for (const { plan } of plans) {
    for (const event of await log.events(refOfPlan(plan))) {
      await directory.apply({ event, before: await log.stateAt(refOfPlan(plan), event.version - 1), after: await log.stateAt(refOfPlan(plan), event.version) });
    }
  }
  const seen: string[] = [];
  let next: string | null = '/v1/plans?limit=1';
  while (next !== null) {
    const page: { status: number; headers: Headers; body: { items: { planId: string }[]; next: string | null } } = await writer.get(next);
    t.is(page.status, 200);
    t.is(page.headers.get('link'), page.body.next === null ? null : `<${page.body.next}>; rel="next"`);
    seen.push(...page.body.items.map((item) => item.planId));
    next = page.body.next;
  }
  t.true(plans.every(({ plan }) => seen.includes(plan.objectId)));
  const history = await auditor.get<{ next: string | null }>(`${plans[0]?.path}/history?limit=1`);
  t.is(history.body.next, `${plans[0]?.path}/history?from=2&limit=1`);
  t.is(history.headers.get('link'), `<${history.body.next}>; rel="next"`);
});

test('search over GET › brackets may be percent-encoded (what curl without -g needs)', async (t) => {
  const token = await devToken(idp.idp.issuer, 'dev-reader');
  const response = await checkedFetch(`${api.baseUrl}/v1/search?planCostShares.copay%5Bgte%5D=1`, { headers: { authorization: `Bearer ${token}` } });
  t.not(response.status, 400);
});

test('If-Match › a list without commas or a bare tag is a 400, never a guess; a list with commas is read', async (t) => {
  const { path } = await twoVersions();
  for (const value of ['"v1" "v2"', 'v2', '"v2" junk', ',', '"v2 "']) {
    const response = await writer.patch(path, [{ op: 'replace', path: '/planType', value: 'x' }], 'application/json-patch+json', value);
    t.is(response.status, 400, value);
    t.true(isProblem(response.headers), value);
  }
  t.is(await eventCount(path.split('/').at(-1) ?? ''), 2, 'nothing was written');
  t.is((await writer.patch(path, [{ op: 'replace', path: '/planType', value: 'x' }], 'application/json-patch+json', '"v1", "v2"')).status, 200);
});

test('search over GET › a repeated sort is a 400 like every repeated parameter; lists are comma-separated', async (t) => {
  const repeated = await writer.get<{ violations: { pointer: string }[] }>('/v1/search?sort=_score&sort=planType');
  t.is(repeated.status, 400);
  t.deepEqual(repeated.body.violations.map((v) => v.pointer), ['/sort']);
  t.not((await writer.get('/v1/search?sort=planType,objectId')).status, 400);
});
