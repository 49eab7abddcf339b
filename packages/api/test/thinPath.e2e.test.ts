import test from 'ava';
import { aPlan } from '../../core/test/planMother.js';
import { connectTestElastic, matchingPlans } from '../../core/test/elasticTestContext.js';
import { devToken } from './authTestContext.js';
import { startStack, type Stack } from './stackProcesses.js';
import { checkedFetch } from './contract/checkedFetch.js';

let stack: Stack;
let writer: Record<string, string>;
const es = connectTestElastic();

test.before(async () => {
  stack = await startStack();
  writer = { authorization: `Bearer ${await devToken(stack.env.OIDC_ISSUER ?? '', 'dev-writer')}` };
});

test.after.always(async () => {
  await stack?.stop();
  await es.close();
});

test('thin path › POST appends, GET reads it back, and the projector makes it searchable by has_child', async (t) => {
  const plan = aPlan({ copay: 190, serviceName: 'thin path service' });
  const posted = Date.now();
  const created = await checkedFetch(`${stack.baseUrl}/v1/plans`, { method: 'POST', headers: { ...writer, 'content-type': 'application/json' }, body: JSON.stringify(plan) });
  t.is(created.status, 201);
  t.is(created.headers.get('location'), `/v1/plans/${plan.objectId}`);
  const etag = created.headers.get('etag');
  t.truthy(etag);
  t.deepEqual(await created.json(), plan);

  const read = await checkedFetch(`${stack.baseUrl}/v1/plans/${plan.objectId}`, { headers: writer });
  t.is(read.status, 200);
  t.is(read.headers.get('etag'), etag);
  t.deepEqual(await read.json(), plan);

  const notModified = await checkedFetch(`${stack.baseUrl}/v1/plans/${plan.objectId}`, { headers: { ...writer, 'if-none-match': etag ?? '' } });
  t.is(notModified.status, 304);

  const alias = stack.env.ES_ALIAS ?? '';
  const query = { has_child: { type: 'linkedPlanServices', query: { has_child: { type: 'planserviceCostShares', query: { range: { copay: { gte: 185 } } } } } } };
  let found: string[] = [];
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    found = await es.indices.exists({ index: alias }).then((exists) => (exists ? matchingPlans(es, alias, query) : []));
    if (found.includes(plan.objectId)) break;
  }
  t.deepEqual(found, [plan.objectId], `projector output:\n${stack.output('projector')}\nrelay output:\n${stack.output('relay')}`);
  t.log(`POST to searchable: ${Date.now() - posted} ms`);
});

test('thin path › errors are problem+json: unknown plan 404, duplicate 409, not JSON 415, malformed 400', async (t) => {
  const unknown = await checkedFetch(`${stack.baseUrl}/v1/plans/no-such-plan`, { headers: writer });
  t.is(unknown.status, 404);
  t.regex(unknown.headers.get('content-type') ?? '', /^application\/problem\+json/);
  t.like(await unknown.json(), { status: 404, title: 'Plan not found' });

  const plan = aPlan();
  const post = (body: string, type = 'application/json') => checkedFetch(`${stack.baseUrl}/v1/plan`, { method: 'POST', headers: { ...writer, 'content-type': type }, body });
  t.is((await checkedFetch(`${stack.baseUrl}/v1/plan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) })).status, 401, 'no token, no write');
  t.is((await post(JSON.stringify(plan))).status, 201, '/v1/plan is an alias');
  const duplicate = await post(JSON.stringify(plan));
  t.is(duplicate.status, 409);
  t.like(await duplicate.json(), { status: 409, type: '/problems/plan-exists' });
  t.is((await post(JSON.stringify(plan), 'text/plain')).status, 415);
  const malformed = await post('{"objectId": ');
  t.is(malformed.status, 400);
  t.regex(((await malformed.json()) as { detail: string }).detail, /not valid JSON/);
  const invalid = await post(JSON.stringify({ objectType: 'plan' }));
  t.is(invalid.status, 400);
  const pointers = ((await invalid.json()) as { violations: { pointer: string }[] }).violations.map((v) => v.pointer);
  t.true(['/objectId', '/_org', '/planCostShares', '/linkedPlanServices'].every((pointer) => pointers.includes(pointer)), pointers.join());
  const polluting = await post('{"objectId":"x","objectType":"plan","_org":"o","__proto__":{"polluted":true}}');
  t.is(polluting.status, 400);
  t.like(await polluting.json(), { violations: [{ pointer: '/__proto__' }] });
});

test('listing › GET /v1/plans lists the org’s plans newest change first, from the projected read model', async (t) => {
  const headers = { ...writer, 'content-type': 'application/json' };
  const ids: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const plan = aPlan();
    ids.push(plan.objectId);
    t.is((await checkedFetch(`${stack.baseUrl}/v1/plans`, { method: 'POST', headers, body: JSON.stringify(plan) })).status, 201);
  }
  const patched = await checkedFetch(`${stack.baseUrl}/v1/plans/${ids[0]}`, {
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/merge-patch+json', 'if-match': '"v1"' },
    body: JSON.stringify({ planType: 'outOfNetwork' }),
  });
  t.is(patched.status, 200);
  type Page = { items: { planId: string; version: number }[]; next: string | null };
  let listed: Page['items'] = [];
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const page = (await (await checkedFetch(`${stack.baseUrl}/v1/plans?limit=100`, { headers: writer })).json()) as Page;
    listed = page.items.filter((item) => ids.includes(item.planId));
    if (listed.length === 3 && listed.find((item) => item.planId === ids[0])?.version === 2) break;
  }
  t.deepEqual(listed.map((item) => item.planId), [ids[0], ids[2], ids[1]], `listed: ${JSON.stringify(listed)}\nprojector: ${stack.output('projector')}`);
  const other = await devToken(stack.env.OIDC_ISSUER ?? '', 'dev-other');
  const theirs = (await (await checkedFetch(`${stack.baseUrl}/v1/plans?limit=100`, { headers: { authorization: `Bearer ${other}` } })).json()) as Page;
  t.false(theirs.items.some((item) => ids.includes(item.planId)), 'another org never sees them');
});

test('observability › /health/ready reports dependencies and lag; /metrics of api and projector expose latency, lag, bulk sizes, dead letters', async (t) => {
  const ready = await checkedFetch(`${stack.baseUrl}/health/ready`);
  t.is(ready.status, 200);
  const body = (await ready.json()) as { checks: Record<string, { status: string }>; lag: Record<string, { entries: number; oldestMs: number }> };
  t.deepEqual(Object.keys(body.checks).sort(), ['elasticsearch', 'redis']);
  t.true(Object.values(body.checks).every((check) => check.status === 'up'));
  t.deepEqual(Object.keys(body.lag).sort(), ['asof', 'directory', 'relay', 'search']);
  t.true(Object.values(body.lag).every((lag) => Number.isInteger(lag.entries) && lag.entries >= 0));

  const api = await (await checkedFetch(`${stack.baseUrl}/metrics`)).text();
  t.regex(api, /planledger_append_duration_seconds_count\{outcome="appended"\} [1-9]/);
  t.regex(api, /planledger_lag_entries\{consumer="search",partition="0"\} \d+/);
  t.regex(api, /planledger_lag_seconds\{consumer="relay"\} /);
  const projector = await (await fetch(`http://127.0.0.1:${stack.env.PROJECTOR_METRICS_PORT}/metrics`)).text();
  t.regex(projector, /planledger_bulk_actions_count [1-9]/);
  t.regex(projector, /planledger_projected_events_total\{projection="search",outcome="applied"\} [1-9]/);
  t.regex(projector, /planledger_dead_letter_messages\{projection="search"\} 0/);
});
