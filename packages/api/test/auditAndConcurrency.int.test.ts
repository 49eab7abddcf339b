import test from 'ava';
import { refOfPlan, type PlanDocument } from '@planledger/core';
import { aPlan } from '../../core/test/planMother.js';
import { startWriteSide, type WriteSide } from './writeSideContext.js';

let side: WriteSide;
test.before(async () => {
  side = await startWriteSide();
});
test.after.always(() => side?.stop());

const copayPatch = (copay: number) => [{ op: 'replace', path: '/linkedPlanServices/1/planserviceCostShares/copay', value: copay }];

async function planWithVersions(copays: number[]): Promise<{ plan: PlanDocument; path: string; times: string[] }> {
  const plan = aPlan();
  const path = `/v1/plans/${plan.objectId}`;
  await side.writer.post('/v1/plans', plan);
  const times = [new Date().toISOString()];
  for (const [index, copay] of copays.entries()) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const response = await side.writer.patch(path, copayPatch(copay), 'application/json-patch+json', `"v${index + 1}"`);
    if (response.status !== 200) throw new Error(JSON.stringify(response.body));
    times.push(new Date().toISOString());
  }
  return { plan, path, times };
}

test('history › events in order with version, type, at, actor and patch, paged', async (t) => {
  const { path } = await planWithVersions([100, 150, 120]);
  const first = await side.auditor.get<{ events: { version: number; type: string; actor: { clientId: string; subject?: string }; at: string; patch: unknown[] }[]; next: string; latest: number }>(`${path}/history?limit=3`);
  t.is(first.status, 200);
  t.is(first.body.latest, 4);
  t.deepEqual(first.body.events.map((e) => [e.version, e.type, e.actor.clientId, e.actor.subject]), [[1, 'created', 'dev-writer', 'dev-writer'], [2, 'patched', 'dev-writer', 'dev-writer'], [3, 'patched', 'dev-writer', 'dev-writer']]);
  t.deepEqual(first.body.events[1]?.patch, copayPatch(100));
  t.true(first.body.events.every((e) => !Number.isNaN(Date.parse(e.at))));
  const second = await side.auditor.get<{ events: { version: number }[]; next: string | null }>(first.body.next);
  t.deepEqual(second.body.events.map((e) => e.version), [4]);
  t.is(second.body.next, null);
  t.is((await side.reader.get(`${path}/history`)).status, 403, 'plans:read is not enough');
  t.is((await side.auditor.get(`${path}/history?limit=0`)).status, 400);
});

test('time travel › ?version=N and ?asOf=<time> return the plan as it was, deleted plans included', async (t) => {
  const { path, times } = await planWithVersions([100, 150]);
  const copayOf = (body: unknown) => (body as { linkedPlanServices: { planserviceCostShares: { copay: number } }[] }).linkedPlanServices[1]?.planserviceCostShares.copay;
  t.is(copayOf((await side.auditor.get(`${path}?version=1`)).body), 175);
  t.is(copayOf((await side.auditor.get(`${path}?version=2`)).body), 100);
  t.is(copayOf((await side.auditor.get(`${path}?asOf=${times[1]}`)).body), 100);
  t.is(copayOf((await side.auditor.get(`${path}?asOf=${times[2]}`)).body), 150);
  t.is((await side.auditor.get(`${path}?asOf=2001-01-01T00:00:00Z`)).status, 404);
  t.is((await side.auditor.get(`${path}?asOf=yesterday`)).status, 400);
  t.is((await side.auditor.get(`${path}?version=9`)).status, 400);
  t.is((await side.reader.get(`${path}?version=1`)).status, 403);
  t.is((await side.writer.delete(path, '"v3"')).status, 204);
  t.is(copayOf((await side.auditor.get(`${path}?version=3`)).body), 150, 'a deleted plan is still readable as it was');
  t.is((await side.auditor.get(`${path}?version=4`)).status, 404);
  t.is((await side.other.get(`${path}/history`)).status, 403, 'dev-other lacks audit:read');
});

test('time travel › a plan with hundreds of versions folds from snapshots to every version exactly', async (t) => {
  const copays = Array.from({ length: 120 }, (_, i) => i);
  const { plan } = await planWithVersions(copays);
  for (const version of [1, 2, 10, 11, 59, 100, 121]) {
    const state = await side.log.stateAt(refOfPlan(plan), version);
    const copay = (state.document as unknown as { linkedPlanServices: { planserviceCostShares: { copay: number } }[] }).linkedPlanServices[1]?.planserviceCostShares.copay;
    t.is(copay, version === 1 ? 175 : copays[version - 2], `version ${version}`);
  }
});

test('diff › JSON Patch and readable lines between two versions', async (t) => {
  const { plan, path } = await planWithVersions([150]);
  const diff = await side.auditor.get<{ patch: unknown[]; changes: string[] }>(`${path}/diff?from=1&to=2`);
  t.is(diff.status, 200);
  t.deepEqual(diff.body.patch, copayPatch(150));
  t.deepEqual(diff.body.changes, [`linkedPlanServices[objectId=${plan.objectId}-lps2].planserviceCostShares.copay: 175 → 150`]);
  t.is((await side.auditor.get(`${path}/diff?from=1&to=7`)).status, 400);
});

test('concurrency › ten PATCHes with the same If-Match: exactly one succeeds, nine get 412, no gap or repeat', async (t) => {
  const { plan, path } = await planWithVersions([]);
  const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => side.writer.patch(path, copayPatch(200 + i), 'application/json-patch+json', '"v1"')));
  t.deepEqual(responses.map((r) => r.status).sort(), [200, 412, 412, 412, 412, 412, 412, 412, 412, 412]);
  const events = await side.log.events(refOfPlan(plan));
  t.deepEqual(events.map((e) => e.version), [1, 2]);
  t.is(responses.filter((r) => r.status === 412).every((r) => r.headers.get('content-type')?.startsWith('application/problem+json')), true);
});

test('idempotency › a retried POST and PATCH return the original outcome without a second event', async (t) => {
  const plan = aPlan();
  const path = `/v1/plans/${plan.objectId}`;
  const key = { 'idempotency-key': `create-${plan.objectId}` };
  const first = await side.writer.post('/v1/plans', plan, key);
  const retry = await side.writer.post('/v1/plans', plan, key);
  t.is(first.status, 201);
  t.is(retry.status, 201);
  t.is(retry.headers.get('idempotent-replayed'), 'true');
  t.is(retry.headers.get('etag'), first.headers.get('etag'));
  t.deepEqual(retry.body, first.body);

  const patchKey = { 'idempotency-key': `patch-${plan.objectId}` };
  const patched = await side.writer.patch(path, copayPatch(140), 'application/json-patch+json', '"v1"', patchKey);
  await side.writer.patch(path, copayPatch(130), 'application/json-patch+json', '"v2"');
  const lostResponseRetry = await side.writer.patch(path, copayPatch(140), 'application/json-patch+json', '"v1"', patchKey);
  t.is(lostResponseRetry.status, 200, 'not 412: the retry gets the original answer');
  t.deepEqual(lostResponseRetry.body, patched.body);
  t.is(lostResponseRetry.headers.get('x-plan-version'), '2');
  t.is((await side.log.events(refOfPlan(plan))).length, 3);

  const reused = await side.writer.patch(path, copayPatch(99), 'application/json-patch+json', '"v3"', patchKey);
  t.is(reused.status, 422, 'the same key with another body is refused');
  const deleteKey = { 'idempotency-key': `delete-${plan.objectId}` };
  t.is((await side.writer.delete(path, '"v3"', deleteKey)).status, 204);
  t.is((await side.writer.delete(path, '"v3"', deleteKey)).status, 204);
  t.is((await side.log.events(refOfPlan(plan))).length, 4);
});

test('idempotency › concurrent retries with one key append exactly one event', async (t) => {
  const plan = aPlan();
  const key = { 'idempotency-key': `burst-${plan.objectId}` };
  const responses = await Promise.all(Array.from({ length: 8 }, () => side.writer.post('/v1/plans', plan, key)));
  t.true(responses.every((r) => r.status === 201), responses.map((r) => r.status).join());
  t.is((await side.log.events(refOfPlan(plan))).length, 1);
});

test('tenancy › another org cannot read, change or delete a plan; admin can', async (t) => {
  const { path } = await planWithVersions([]);
  t.is((await side.other.get(path)).status, 404);
  t.is((await side.other.patch(path, { planType: 'x' }, 'application/merge-patch+json', '"v1"')).status, 404);
  t.is((await side.other.delete(path, '"v1"')).status, 404);
  t.is((await side.admin.patch(path, { planType: 'adminType' }, 'application/merge-patch+json', '"v1"')).status, 200);
});
