import test from 'ava';
import { refOfPlan } from '@planledger/core';
import { aPlan } from '../../core/test/planMother.js';
import { startWriteSide, type WriteSide } from './writeSideContext.js';

let side: WriteSide;
test.before(async () => {
  side = await startWriteSide();
});
test.after.always(() => side?.stop());

test('tenancy › another org creating an objectId that exists elsewhere gets its own plan (201, not 409)', async (t) => {
  const ours = aPlan();
  const theirs = aPlan({ id: ours.objectId, org: 'other.example', copay: 1 });
  t.is((await side.writer.post('/v1/plans', ours)).status, 201);
  const created = await side.other.post('/v1/plans', theirs);
  t.is(created.status, 201);
  t.is(created.headers.get('location'), `/v1/plans/${ours.objectId}`);
  t.is(created.headers.get('etag'), '"v1"');
  t.deepEqual((await side.reader.get(`/v1/plans/${ours.objectId}`)).body, ours);
  t.deepEqual((await side.other.get(`/v1/plans/${ours.objectId}`)).body, theirs);
  t.is((await side.log.events(refOfPlan(ours))).length, 1);
  t.is((await side.log.events(refOfPlan(theirs))).length, 1);
});

test('tenancy › changes and deletes in one org leave the other org’s plan of the same objectId untouched', async (t) => {
  const ours = aPlan();
  const theirs = aPlan({ id: ours.objectId, org: 'other.example' });
  await side.writer.post('/v1/plans', ours);
  await side.other.post('/v1/plans', theirs);
  t.is((await side.other.patch(`/v1/plans/${ours.objectId}`, { planType: 'theirs' }, 'application/merge-patch+json', '"v1"')).status, 200);
  t.is((await side.other.delete(`/v1/plans/${ours.objectId}`, '"v2"')).status, 204);
  const read = await side.reader.get(`/v1/plans/${ours.objectId}`);
  t.is(read.status, 200);
  t.is(read.headers.get('etag'), '"v1"');
  t.deepEqual(read.body, ours);
  const history = await side.auditor.get<{ latest: number; events: { org: string }[] }>(`/v1/plans/${ours.objectId}/history`);
  t.is(history.body.latest, 1);
  t.deepEqual(history.body.events.map((e) => e.org), ['example.com']);
  t.is((await side.other.get(`/v1/plans/${ours.objectId}`)).status, 410, 'their own plan of that objectId, deleted');
});

test('tenancy › nothing a tenant does reveals another org’s ids: reads, writes and audit reads are 404', async (t) => {
  const theirs = aPlan({ org: 'other.example' });
  await side.other.post('/v1/plans', theirs);
  const path = `/v1/plans/${theirs.objectId}`;
  for (const response of [
    await side.reader.get(path),
    await side.writer.patch(path, { planType: 'x' }, 'application/merge-patch+json', '*'),
    await side.writer.put(path, { ...theirs, _org: 'example.com' }, '*'),
    await side.writer.delete(path, '*'),
    await side.auditor.get(`${path}/history`),
    await side.auditor.get(`${path}?version=1`),
  ]) {
    t.is(response.status, 404);
  }
  t.is((await side.log.head(refOfPlan(theirs)))?.version, 1);
});

test('tenancy › admins address another org’s plans under /v1/orgs/{org}/plans; others get 403 there', async (t) => {
  const theirs = aPlan({ org: 'other.example' });
  await side.other.post('/v1/plans', theirs);
  const path = `/v1/orgs/other.example/plans/${theirs.objectId}`;
  const read = await side.admin.get(path);
  t.is(read.status, 200);
  t.deepEqual(read.body, theirs);
  t.is((await side.admin.get(`/v1/plans/${theirs.objectId}`)).status, 404, 'by id alone an admin reads its own org');
  t.is((await side.admin.patch(path, { planType: 'by-admin' }, 'application/merge-patch+json', '"v1"')).status, 200);
  t.is((await side.admin.get<{ latest: number }>(`${path}/history`)).body.latest, 2);
  t.is((await side.writer.get(path)).status, 403);
  t.is((await side.writer.get('/v1/plans?org=other.example')).status, 403, 'a listing of another org needs admin too');
  t.is((await side.other.get(path)).status, 200, 'an org may use its own org path');
  const listing = await side.admin.get<{ items: { planId: string; href: string }[] }>('/v1/orgs/other.example/plans?limit=500');
  t.is(listing.status, 200);
  const created = await side.admin.post('/v1/orgs/other.example/plans', aPlan({ org: 'other.example' }));
  t.is(created.status, 201);
  t.regex(created.headers.get('location') ?? '', /^\/v1\/orgs\/other\.example\/plans\//);
  const mismatch = await side.admin.post('/v1/orgs/other.example/plans', aPlan());
  t.is(mismatch.status, 400, "the document's _org must be the org in the path");
});

test('Idempotency-Key › reused for a different plan is 422 and creates nothing; the same request replays with its consistency token', async (t) => {
  const first = aPlan();
  const second = aPlan();
  const key = { 'idempotency-key': `tenancy-${first.objectId}` };
  const created = await side.writer.post('/v1/plans', first, key);
  t.is(created.status, 201);
  const reused = await side.writer.post('/v1/plans', second, key);
  t.is(reused.status, 422);
  t.regex(reused.headers.get('content-type') ?? '', /^application\/problem\+json/);
  t.is(await side.log.head(refOfPlan(second)), null);
  const existing = aPlan();
  await side.writer.post('/v1/plans', existing);
  t.is((await side.writer.patch(`/v1/plans/${existing.objectId}`, { planType: 'x' }, 'application/merge-patch+json', '*', key)).status, 422, 'also when the other plan exists');
  t.is((await side.log.head(refOfPlan(existing)))?.version, 1);
  const replayed = await side.writer.post('/v1/plans', JSON.stringify(first, null, 2), key);
  t.is(replayed.status, 201, 'the same body, spaced differently, is the same request');
  t.is(replayed.headers.get('idempotent-replayed'), 'true');
  t.is(replayed.headers.get('x-consistency-token'), created.headers.get('x-consistency-token'));
});

test('PATCH with If-Match * › 20 concurrent one-field changes all apply (200), one version each', async (t) => {
  const plan = aPlan();
  await side.writer.post('/v1/plans', plan);
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      side.writer.patch(`/v1/plans/${plan.objectId}`, [{ op: 'replace', path: '/planCostShares/copay', value: 100 + i }], 'application/json-patch+json', '*'),
    ),
  );
  t.deepEqual(responses.map((r) => r.status), Array.from({ length: 20 }, () => 200));
  t.deepEqual(responses.map((r) => Number(r.headers.get('x-plan-version'))).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 2));
  t.is((await side.log.events(refOfPlan(plan))).length, 21);
});
