import test from 'ava';
import { aPlan } from '../../core/test/planMother.js';
import { apiClient, type ApiClient } from './apiClient.js';
import { startStack, type Stack } from './stackProcesses.js';

let stack: Stack;
let writer: ApiClient;
let other: ApiClient;
let admin: ApiClient;
test.before(async () => {
  stack = await startStack();
  const issuer = stack.env.OIDC_ISSUER ?? '';
  [writer, other, admin] = await Promise.all([apiClient(stack.baseUrl, issuer, 'dev-writer'), apiClient(stack.baseUrl, issuer, 'dev-other'), apiClient(stack.baseUrl, issuer, 'dev-admin')]);
});
test.after.always(() => stack?.stop());

type Page = { total: number; items: { planId: string; version: number; document?: unknown }[]; next: string | null; cursor: string | null; consistent?: boolean };
const ids = (page: Page) => page.items.map((item) => item.planId).sort();

/** Searches right after a write, waiting (bounded) until the write is visible. */
async function searchAfter(client: ApiClient, token: string | null, query: string): Promise<Page> {
  const response = await client.get<Page>(`/v1/search?${query}${token ? `&consistentWith=${encodeURIComponent(token)}` : ''}`);
  if (response.status !== 200) throw new Error(`search answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

test('search › reflects a POST, a copay PATCH, a PATCH removing a service, and a DELETE; another org never sees it', async (t) => {
  const service = `svc-${Date.now()}`;
  const plan = aPlan({ copay: 180, serviceName: service });
  const path = `/v1/plans/${plan.objectId}`;
  const byCopay = `linkedPlanServices.planserviceCostShares.copay[gte]=150&linkedPlanServices.linkedService.name=${encodeURIComponent(service)}&planType=inNetwork`;

  const created = await writer.post('/v1/plans', plan);
  const afterCreate = await searchAfter(writer, created.headers.get('x-consistency-token'), byCopay);
  t.true(afterCreate.consistent);
  t.deepEqual(ids(afterCreate), [plan.objectId]);
  t.is(afterCreate.total, 1);
  t.deepEqual(ids((await other.get<Page>(`/v1/search?${byCopay}`)).body), [], 'another org never sees it');
  t.deepEqual(ids((await admin.get<Page>(`/v1/search?${byCopay}`)).body), [plan.objectId], 'admins search every org');

  const cheaper = await writer.patch(path, [{ op: 'replace', path: '/linkedPlanServices/1/planserviceCostShares/copay', value: 20 }], 'application/json-patch+json', '"v1"');
  t.deepEqual(ids(await searchAfter(writer, cheaper.headers.get('x-consistency-token'), byCopay)), []);
  t.deepEqual(ids(await searchAfter(writer, null, `linkedPlanServices.planserviceCostShares.copay[lt]=25&linkedPlanServices.linkedService.name=${encodeURIComponent(service)}`)), [plan.objectId]);

  const trimmed = await writer.patch(path, [{ op: 'remove', path: '/linkedPlanServices/1' }], 'application/json-patch+json', '"v2"');
  t.deepEqual(ids(await searchAfter(writer, trimmed.headers.get('x-consistency-token'), `linkedPlanServices.linkedService.name=${encodeURIComponent(service)}`)), []);
  t.deepEqual(ids(await searchAfter(writer, null, `objectId=${plan.objectId}`)), [plan.objectId], 'the plan itself stays');

  const deleted = await writer.delete(path, '"v3"');
  t.deepEqual(ids(await searchAfter(writer, deleted.headers.get('x-consistency-token'), `objectId=${plan.objectId}`)), []);
});

test('search › full text, include=document, sort, cursor paging, and POST with the same parameters', async (t) => {
  const word = `zyx${Date.now()}`;
  const plans = Array.from({ length: 5 }, (_, i) => aPlan({ serviceName: `${word} care ${i}`, copay: 100 + i }));
  let token: string | null = null;
  for (const plan of plans) token = (await writer.post('/v1/plans', plan)).headers.get('x-consistency-token');
  const found = await searchAfter(writer, token, `q=${word}&include=document&limit=5`);
  t.is(found.total, 5);
  t.deepEqual(found.items[0]?.document, plans.find((p) => p.objectId === found.items[0]?.planId));

  const seen: string[] = [];
  let next: string | null = null;
  for (let page = 0; page < 4; page += 1) {
    const response = await writer.request<Page>('POST', '/v1/search', { body: { q: word, sort: '-planType', limit: 2, ...(next ? { cursor: next } : {}) } });
    const body: Page = response.body;
    seen.push(...body.items.map((i) => i.planId));
    t.is(response.headers.get('link'), body.next === null ? null : `<${body.next}>; rel="next"`, 'Link header and body agree');
    if (body.next !== null) t.deepEqual((await writer.get<Page>(body.next)).body.items, (await writer.request<Page>('POST', '/v1/search', { body: { q: word, sort: '-planType', limit: 2, cursor: body.cursor } })).body.items, 'the GET link and the POSTed cursor give the same next page');
    next = body.cursor;
    if (!next) break;
  }
  t.deepEqual([...seen].sort(), plans.map((p) => p.objectId).sort(), 'every plan once over the pages');
  t.is(next, null, 'the last page says so');
  t.is(seen.length, 5, 'three pages of 2, 2 and 1: no empty page at the end');
});

test('search › unknown fields and operators, bad values and bad tokens are 400 problem+json; nothing reaches Elasticsearch', async (t) => {
  for (const query of ['nope=1', 'planType[near]=x', 'planCostShares.copay[gte]=cheap', 'creationDate[gte]=garbage', 'creationDate=02-30-2020', 'limit=1000', 'cursor=garbage', '__proto__=1', 'consistentWith=not-a-token']) {
    const response = await writer.get(`/v1/search?${query}`);
    t.is(response.status, 400, query);
    t.regex(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  }
  const unknown = await writer.get<{ violations: { pointer: string }[] }>('/v1/search?nope=1&planType[near]=x');
  t.deepEqual(unknown.body.violations.map((v) => v.pointer).sort(), ['/nope', '/planType[near]']);
  t.is((await writer.request('POST', '/v1/search', { body: '[1]' })).status, 400);
});

test('search and listing › one objectId in two orgs is two plans: each org finds only its own, admins find both', async (t) => {
  const ours = aPlan({ copay: 120 });
  const theirs = aPlan({ id: ours.objectId, org: 'other.example', copay: 130 });
  const mine = await writer.post('/v1/plans', ours);
  const yours = await other.post('/v1/plans', theirs);
  t.is(yours.status, 201);
  const query = `objectId=${encodeURIComponent(ours.objectId)}&include=document`;
  type Hit = { planId: string; org: string; href: string; document?: { _org: string } };
  const ourHits = (await searchAfter(writer, mine.headers.get('x-consistency-token'), query)).items as unknown as Hit[];
  const theirHits = (await searchAfter(other, yours.headers.get('x-consistency-token'), query)).items as unknown as Hit[];
  t.deepEqual(ourHits.map((h) => [h.org, h.href, h.document?._org]), [['example.com', `/v1/plans/${ours.objectId}`, 'example.com']]);
  t.deepEqual(theirHits.map((h) => [h.org, h.href, h.document?._org]), [['other.example', `/v1/plans/${ours.objectId}`, 'other.example']]);
  const both = (await admin.get<Page>(`/v1/search?${query}`)).body.items as unknown as Hit[];
  t.deepEqual(both.map((h) => [h.org, h.href]).sort(), [
    ['example.com', `/v1/plans/${ours.objectId}`],
    ['other.example', `/v1/orgs/other.example/plans/${ours.objectId}`],
  ]);
  // The read model lists each under its own org (eventually: the listing follows the projector).
  const listed = async (client: ApiClient) => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const page = await client.get<{ items: { planId: string; org: string }[] }>('/v1/plans?limit=500');
      const hit = page.body.items.find((item) => item.planId === ours.objectId);
      if (hit) return hit.org;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return null;
  };
  t.is(await listed(writer), 'example.com');
  t.is(await listed(other), 'other.example');
});
