import test from 'ava';
import { aPlan } from '../../core/test/planMother.js';
import { apiClient, type ApiClient } from './apiClient.js';
import { startStack, type Stack } from './stackProcesses.js';

let stack: Stack;
let writer: ApiClient;
let auditor: ApiClient;
let other: ApiClient;
test.before(async () => {
  stack = await startStack();
  const issuer = stack.env.OIDC_ISSUER ?? '';
  [writer, auditor, other] = await Promise.all([apiClient(stack.baseUrl, issuer, 'dev-writer'), apiClient(stack.baseUrl, issuer, 'dev-auditor'), apiClient(stack.baseUrl, issuer, 'dev-other')]);
});
test.after.always(() => stack?.stop());

type Page = { total: number; items: { planId: string; version: number; document?: { planCostShares?: { copay?: number } } }[]; next: string | null; consistent?: boolean };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('asOf search › over HTTP: each plan as it was, its version then, its document then; deleted plans while alive; audit:read only', async (t) => {
  const name = `asof${Date.now()}`;
  const plan = aPlan({ copay: 180, serviceName: name });
  const path = `/v1/plans/${plan.objectId}`;
  await writer.post('/v1/plans', plan);
  await pause(20);
  const atV1 = new Date().toISOString();
  await pause(20);
  await writer.patch(path, [{ op: 'replace', path: '/planCostShares/copay', value: 5 }], 'application/json-patch+json', '"v1"');
  await pause(20);
  const atV2 = new Date().toISOString();
  await pause(20);
  const deleted = await writer.delete(path, '"v2"');
  const token = deleted.headers.get('x-consistency-token') ?? '';
  const afterDelete = new Date(Date.now() + 1000).toISOString();

  const search = (query: string, client: ApiClient = auditor) => client.get<Page>(`/v1/search?${query}`);
  const byName = `linkedPlanServices.linkedService.name=${encodeURIComponent(name)}`;
  const wait = await search(`${byName}&asOf=${encodeURIComponent(atV1)}&consistentWith=${encodeURIComponent(token)}&include=document`);
  t.is(wait.status, 200);
  t.true(wait.body.consistent, 'the temporal projection caught up with the delete');
  t.deepEqual(wait.body.items.map((item) => [item.planId, item.version, item.document?.planCostShares?.copay]), [[plan.objectId, 1, 23]]);

  const cheap = await search(`${byName}&planCostShares.copay[lte]=10&asOf=${encodeURIComponent(atV2)}`);
  t.deepEqual(cheap.body.items.map((item) => [item.planId, item.version]), [[plan.objectId, 2]], 'as of version 2 its copay was 5');
  t.deepEqual((await search(`${byName}&planCostShares.copay[lte]=10&asOf=${encodeURIComponent(atV1)}`)).body.items, [], 'not yet at version 1');
  t.deepEqual((await search(`${byName}&asOf=${encodeURIComponent(afterDelete)}`)).body.items, [], 'deleted by then');
  t.deepEqual((await search(`${byName}&consistentWith=${encodeURIComponent(token)}`, writer)).body.items, [], 'and search without asOf is unchanged: the plan is gone');

  const posted = await auditor.post('/v1/search', { 'linkedPlanServices.linkedService.name': name, asOf: atV2 });
  t.is(posted.status, 200);
  t.deepEqual((posted.body as Page).items.map((item) => item.planId), [plan.objectId], 'POST /v1/search takes asOf too');

  const forbidden = await search(`${byName}&asOf=${encodeURIComponent(atV1)}`, writer);
  t.is(forbidden.status, 403, 'asOf needs audit:read');
  t.is(forbidden.headers.get('content-type'), 'application/problem+json');

  const bad = await search(`${byName}&asOf=2026-02-30T00:00:00Z`);
  t.is(bad.status, 400);
  t.regex(JSON.stringify(bad.body), /asOf/);
});
