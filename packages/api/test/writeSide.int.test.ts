import test from 'ava';
import { refOfPlan, type PlanDocument } from '@planledger/core';
import { aPlan } from '../../core/test/planMother.js';
import { startWriteSide, type WriteSide } from './writeSideContext.js';

let side: WriteSide;
test.before(async () => {
  side = await startWriteSide();
});
test.after.always(() => side?.stop());

type Service = { objectId: string; planserviceCostShares: { copay: number }; linkedService: { name: string } };
const services = (plan: unknown) => (plan as { linkedPlanServices: Service[] }).linkedPlanServices;

async function created(plan: PlanDocument = aPlan()): Promise<{ plan: PlanDocument; etag: string; path: string }> {
  const response = await side.writer.post('/v1/plans', plan);
  if (response.status !== 201) throw new Error(`create answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { plan, etag: response.headers.get('etag') ?? '', path: `/v1/plans/${plan.objectId}` };
}
const eventCount = async (planId: string, org = 'example.com') => (await side.log.events({ org, planId })).length;

test('POST › 201 with Location, strong ETag, version and the stored plan; GET returns the same ETag', async (t) => {
  const plan = aPlan();
  const response = await side.writer.post('/v1/plans', plan);
  t.is(response.status, 201);
  t.is(response.headers.get('location'), `/v1/plans/${plan.objectId}`);
  t.is(response.headers.get('etag'), '"v1"');
  t.is(response.headers.get('x-plan-version'), '1');
  t.regex(response.headers.get('x-consistency-token') ?? '', /^\d+:\d+-\d+$/);
  t.deepEqual(response.body, plan);
  const read = await side.reader.get(`/v1/plans/${plan.objectId}`);
  t.is(read.status, 200);
  t.is(read.headers.get('etag'), '"v1"');
  t.deepEqual(read.body, plan);
});

test('GET › If-None-Match with the ETag, *, or a list holding it answers 304; another ETag 200', async (t) => {
  const { path } = await created();
  for (const value of ['"v1"', '*', '"v7", "v1"', 'W/"v1"']) t.is((await side.reader.get(path, { 'if-none-match': value })).status, 304, value);
  t.is((await side.reader.get(path, { 'if-none-match': '"v2"' })).status, 200);
});

test('POST › the same objectId again is 409; an invalid plan is 400 with each pointer; nothing is appended', async (t) => {
  const { plan } = await created();
  t.is((await side.writer.post('/v1/plans', plan)).status, 409);
  const invalid = aPlan();
  (invalid.planCostShares as { copay: number }).copay = -1;
  delete (services(invalid)[1] as Partial<Service>).linkedService;
  (invalid as Record<string, unknown>).surprise = true;
  const response = await side.writer.post('/v1/plans', invalid);
  t.is(response.status, 400);
  t.regex(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const pointers = (response.body.violations as { pointer: string }[]).map((v) => v.pointer).sort();
  t.deepEqual(pointers, ['/linkedPlanServices/1/linkedService', '/planCostShares/copay', '/surprise']);
  t.is(await eventCount(invalid.objectId), 0);
});

test('PUT › needs If-Match (428), refuses a stale one (412), replaces with a matching one', async (t) => {
  const { plan, path } = await created();
  const next = { ...plan, planType: 'outOfNetwork' };
  t.is((await side.writer.put(path, next)).status, 428);
  t.is((await side.writer.put(path, next, '"v9"')).status, 412);
  const replaced = await side.writer.put(path, next, '"v1"');
  t.is(replaced.status, 200);
  t.is(replaced.headers.get('etag'), '"v2"');
  t.deepEqual(replaced.body, next);
  t.deepEqual((await side.log.events(refOfPlan(plan))).map((e) => [e.type, e.patch]), [
    ['created', [{ op: 'add', path: '', value: plan }]],
    ['replaced', [{ op: 'replace', path: '/planType', value: 'outOfNetwork' }]],
  ]);
  t.is((await side.writer.put(path, { ...next, objectId: 'another-id' }, '"v2"')).status, 422, 'the objectId cannot change');
  t.is((await side.writer.put('/v1/plans/nothing-here', next, '"v1"')).status, 404);
});

test('PATCH json-patch › all six operations apply together; a failed test applies nothing (422)', async (t) => {
  const { plan, path } = await created();
  const patch = [
    { op: 'test', path: '/planType', value: 'inNetwork' },
    { op: 'replace', path: '/planType', value: 'outOfNetwork' },
    { op: 'copy', from: '/linkedPlanServices/0/linkedService/name', path: '/linkedPlanServices/1/linkedService/name' },
    { op: 'move', from: '/creationDate', path: '/creationDate' },
    { op: 'remove', path: '/linkedPlanServices/0' },
    { op: 'add', path: '/linkedPlanServices/-', value: services(aPlan({ id: `${plan.objectId}-x` }))[0] },
  ];
  const response = await side.writer.patch(path, patch, 'application/json-patch+json', '"v1"');
  t.is(response.status, 200, JSON.stringify(response.body));
  t.is(response.headers.get('x-plan-version'), '2');
  t.is(response.body.planType, 'outOfNetwork');
  t.deepEqual(services(response.body).map((s) => s.linkedService.name), ['Yearly physical', 'Yearly physical']);
  const failed = await side.writer.patch(path, [{ op: 'replace', path: '/planType', value: 'x' }, { op: 'test', path: '/planType', value: 'nope' }], 'application/json-patch+json', '"v2"');
  t.is(failed.status, 422);
  const missing = await side.writer.patch(path, [{ op: 'remove', path: '/nothing/here' }], 'application/json-patch+json', '"v2"');
  t.is(missing.status, 422);
  t.is(await eventCount(plan.objectId), 2);
});

test('PATCH merge-patch › RFC 7396 changes members; removing a required one is 400 at its pointer', async (t) => {
  const { path } = await created();
  const changed = await side.writer.patch(path, { planType: 'outOfNetwork' }, 'application/merge-patch+json', '"v1"');
  t.is(changed.status, 200);
  t.is(changed.body.planType, 'outOfNetwork');
  const removed = await side.writer.patch(path, { planType: null }, 'application/merge-patch+json', '"v2"');
  t.is(removed.status, 400);
  t.deepEqual(removed.body.violations, [{ pointer: '/planType', message: 'is required' }]);
});

test('PATCH application/json › merges deeply; array elements by objectId in place, new ones appended', async (t) => {
  const { plan, path } = await created();
  const [first, second] = services(plan);
  const newcomer = services(aPlan({ id: `${plan.objectId}-n` }))[0];
  const body = { linkedPlanServices: [{ objectId: second!.objectId, planserviceCostShares: { copay: 150 } }, newcomer] };
  const response = await side.writer.patch(path, body, 'application/json', '"v1"');
  t.is(response.status, 200, JSON.stringify(response.body));
  const after = services(response.body);
  t.deepEqual(after.map((s) => s.objectId), [first!.objectId, second!.objectId, newcomer!.objectId]);
  t.is(after[1]?.planserviceCostShares.copay, 150);
  t.is(after[1]?.linkedService.name, 'well baby', 'untouched members stay');
});

test('PATCH › a change of objectType or of the plan objectId is 422 with a clear detail; 415 for other types', async (t) => {
  const { path } = await created();
  const retyped = await side.writer.patch(path, [{ op: 'replace', path: '/planCostShares/objectType', value: 'service' }], 'application/json-patch+json', '"v1"');
  t.true([400, 422].includes(retyped.status));
  const renamed = await side.writer.patch(path, { objectId: 'renamed' }, 'application/merge-patch+json', '"v1"');
  t.is(renamed.status, 422);
  t.regex(String(renamed.body.detail), /identity/);
  t.is((await side.writer.patch(path, 'x', 'text/plain', '"v1"')).status, 415);
});

test('PATCH › a patch that changes nothing answers 200 and appends no event', async (t) => {
  const { plan, path } = await created();
  const response = await side.writer.patch(path, { planType: plan.planType }, 'application/merge-patch+json', '"v1"');
  t.is(response.status, 200);
  t.is(response.headers.get('x-plan-version'), '1');
  t.is(await eventCount(plan.objectId), 1);
});

test('DELETE › needs If-Match; the plan and every nested object vanish; history stays; re-create continues', async (t) => {
  const { plan, path } = await created();
  const objectPath = `${path}/objects/${services(plan)[0]!.objectId}`;
  t.is((await side.reader.get(objectPath)).status, 200);
  t.is((await side.writer.delete(path)).status, 428);
  t.is((await side.writer.delete(path, '"v5"')).status, 412);
  const deleted = await side.writer.delete(path, '"v1"');
  t.is(deleted.status, 204);
  t.is(deleted.headers.get('x-plan-version'), '2');
  const gone = await side.reader.get<{ type: string; status: number; version: number; deletedAt: string }>(path);
  t.is(gone.status, 410, 'a deleted plan is gone, not unknown');
  t.like(gone.body, { type: '/problems/plan-deleted', status: 410, version: 2 });
  t.false(Number.isNaN(Date.parse(gone.body.deletedAt)));
  t.is((await side.reader.get('/v1/plans/never-was-here')).status, 404, 'a plan that never existed stays 404');
  t.is((await side.reader.get(objectPath)).status, 404);
  t.is((await side.writer.delete(path, '*')).status, 404);
  const history = await side.auditor.get<{ events: { version: number; type: string }[] }>(`${path}/history`);
  t.deepEqual(history.body.events.map((e) => [e.version, e.type]), [[1, 'created'], [2, 'deleted']]);
  const again = await side.writer.post('/v1/plans', plan);
  t.is(again.status, 201);
  t.is(again.headers.get('etag'), '"v3"');
});

test('GET objects › any nested object by its objectId', async (t) => {
  const { plan, path } = await created();
  const service = services(plan)[1]!;
  const response = await side.reader.get(`${path}/objects/${(service as unknown as { linkedService: { objectId: string } }).linkedService.objectId}`);
  t.deepEqual(response.body, service.linkedService as unknown as Record<string, unknown>);
  t.is((await side.reader.get(`${path}/objects/unknown-object`)).status, 404);
});

test('/v1/plan is an alias and the schema is served', async (t) => {
  const { plan } = await created();
  t.is((await side.reader.get(`/v1/plan/${plan.objectId}`)).status, 200);
  const schema = await side.reader.get('/v1/schema/plan');
  t.is(schema.status, 200);
  t.is(schema.body.$schema, 'https://json-schema.org/draft/2020-12/schema');
});

test('hostile input › __proto__, constructor and prototype in bodies and patch paths are refused; nothing is polluted', async (t) => {
  const { path } = await created();
  const raw = (json: string, type: string, method = 'PATCH') => side.writer.request(method, method === 'POST' ? '/v1/plans' : path, { body: json, type, headers: method === 'POST' ? {} : { 'if-match': '"v1"' } });
  const attempts = [
    await raw('{"__proto__":{"polluted":true}}', 'application/merge-patch+json'),
    await raw('{"constructor":{"prototype":{"polluted":true}}}', 'application/json'),
    await raw('[{"op":"add","path":"/__proto__/polluted","value":true}]', 'application/json-patch+json'),
    await raw('[{"op":"add","path":"/constructor/prototype/polluted","value":true}]', 'application/json-patch+json'),
    await raw('[{"op":"copy","from":"/prototype","path":"/x"}]', 'application/json-patch+json'),
    await raw(JSON.stringify({ ...aPlan(), prototype: 1 }), 'application/json', 'POST'),
  ];
  for (const response of attempts) t.true([400, 422].includes(response.status), JSON.stringify(response.body));
  t.is(({} as Record<string, unknown>).polluted, undefined);
  t.is(await eventCount(path.split('/').at(-1) ?? ''), 1);
});

test('Prefer: return=minimal › PUT and PATCH answer 204 with their ETag and version and no body; the plan is stored as without it; a create still answers it', async (t) => {
  const plan = aPlan();
  const posted = await side.writer.post('/v1/plans', plan, { prefer: 'return=minimal' });
  t.is(posted.status, 201);
  t.deepEqual(posted.body, plan);
  t.is(posted.headers.get('preference-applied'), null);
  const path = `/v1/plans/${plan.objectId}`;
  const patched = await side.writer.patch(path, [{ op: 'replace', path: '/planType', value: 'outOfNetwork' }], 'application/json-patch+json', '"v1"', { prefer: 'handling=lenient, return=minimal' });
  t.is(patched.status, 204);
  t.is(patched.body as unknown, null);
  t.is(patched.headers.get('preference-applied'), 'return=minimal');
  t.is(patched.headers.get('etag'), '"v2"');
  t.is(patched.headers.get('x-plan-version'), '2');
  t.regex(patched.headers.get('x-consistency-token') ?? '', /^\d+:\d+-\d+$/);
  const put = await side.writer.put(path, { ...plan, planType: 'inNetwork' }, '"v2"', { prefer: 'return="minimal"' });
  t.is(put.status, 204);
  t.is(put.headers.get('etag'), '"v3"');
  t.deepEqual((await side.reader.get(path)).body, { ...plan, planType: 'inNetwork' });
  // Preferring the representation, or nothing: the plan as stored, as before.
  const full = await side.writer.patch(path, [{ op: 'replace', path: '/planType', value: 'outOfNetwork' }], 'application/json-patch+json', '"v3"', { prefer: 'return=representation' });
  t.is(full.status, 200);
  t.is(full.headers.get('preference-applied'), null);
  t.deepEqual(full.body, { ...plan, planType: 'outOfNetwork' });
});
