import test from 'ava';
import { EVENT_SCHEMA_VERSION, evolvePlan, INITIAL_PLAN_STATE, parseSearchRequest, type PlanDocument, type PlanEvent, type PlanState } from '../src/index.js';
import { ElasticPlanIndex, ElasticPlanSearch, ensurePlanIndex } from '../src/adapters/elasticsearch/index.js';
import { connectTestElastic, deleteAliasIndices, matchingPlans } from './elasticTestContext.js';
import { aPlan } from './planMother.js';
import { randomPrefix } from './redisTestContext.js';

const client = connectTestElastic();
const alias = randomPrefix('plans-test');
const index = new ElasticPlanIndex(client, alias);

test.before(async () => {
  await ensurePlanIndex(client, alias);
});
test.after.always(async () => {
  await deleteAliasIndices(client, alias);
  await client.close();
});

/** Feeds the index one change as a projector would, returning the state after it. */
async function change(before: PlanState, type: PlanEvent['type'], patch: PlanEvent['patch'], planId: string): Promise<PlanState> {
  const event: PlanEvent = { planId, version: before.version + 1, type, patch, actor: 't', org: 'example.com', at: new Date().toISOString(), requestId: 'r', schemaVersion: EVENT_SCHEMA_VERSION };
  const after = evolvePlan(before, event);
  await index.apply({ event, before, after });
  return after;
}
const create = (plan: PlanDocument) => change(INITIAL_PLAN_STATE, 'created', [{ op: 'add', path: '', value: plan }], plan.objectId);

const copayAtLeast = (gte: number) => ({
  has_child: { type: 'linkedPlanServices', query: { has_child: { type: 'planserviceCostShares', query: { range: { copay: { gte } } } } } },
});

test('ensurePlanIndex › is idempotent and puts the alias over a versioned index', async (t) => {
  t.is(await ensurePlanIndex(client, alias), `${alias}-000001`);
});

test("search index › the peers' usual has_child and has_parent queries run unchanged", async (t) => {
  const plan = aPlan({ copay: 180, serviceName: 'acupuncture' });
  await create(plan);
  t.true((await matchingPlans(client, alias, copayAtLeast(176))).includes(plan.objectId));
  const services = await matchingPlans(client, alias, { has_child: { type: 'planserviceCostShares', query: { range: { copay: { gte: 176 } } } } });
  t.true(services.includes(plan.objectId), 'has_child planserviceCostShares finds the planservice');
  await client.indices.refresh({ index: alias });
  const children = await client.search({ index: alias, query: { bool: { filter: [{ has_parent: { parent_type: 'linkedPlanServices', query: { match_all: {} } } }, { term: { planId: plan.objectId } }] } } });
  t.is((children.hits.total as { value: number }).value, 4, 'has_parent linkedPlanServices finds services and their cost shares');
  const underPlan = await client.search({ index: alias, query: { bool: { filter: [{ has_parent: { parent_type: 'plan', query: { term: { planType: 'inNetwork' } } } }, { term: { planId: plan.objectId } }] } } });
  t.is((underPlan.hits.total as { value: number }).value, 3, 'has_parent plan finds planCostShares and both linkedPlanServices');
  t.true((await matchingPlans(client, alias, { match: { name: 'acupuncture' } })).includes(plan.objectId));
});

test('search index › a patch that changes a copay or removes a service is reflected, a delete removes everything', async (t) => {
  const plan = aPlan({ copay: 300 });
  let state = await create(plan);
  t.true((await matchingPlans(client, alias, copayAtLeast(250))).includes(plan.objectId));
  state = await change(state, 'patched', [{ op: 'replace', path: '/linkedPlanServices/1/planserviceCostShares/copay', value: 20 }], plan.objectId);
  t.false((await matchingPlans(client, alias, copayAtLeast(250))).includes(plan.objectId));
  state = await change(state, 'patched', [{ op: 'remove', path: '/linkedPlanServices/1' }], plan.objectId);
  t.deepEqual(await matchingPlans(client, alias, { term: { objectId: `${plan.objectId}-svc2` } }), []);
  t.deepEqual(await matchingPlans(client, alias, { term: { planId: plan.objectId } }), [plan.objectId]);
  await change(state, 'deleted', [], plan.objectId);
  t.deepEqual(await matchingPlans(client, alias, { term: { planId: plan.objectId } }), []);
});

test('search index › replaying an older change does not bring back what a newer one removed', async (t) => {
  const plan = aPlan();
  const created = await create(plan);
  const deleteEvent: PlanEvent = { planId: plan.objectId, version: 2, type: 'deleted', patch: [], actor: 't', org: 'o', at: '', requestId: 'r', schemaVersion: 1 };
  await index.apply({ event: deleteEvent, before: created, after: evolvePlan(created, deleteEvent) });
  const createEvent: PlanEvent = { ...deleteEvent, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: plan }] };
  await t.notThrowsAsync(index.apply({ event: createEvent, before: INITIAL_PLAN_STATE, after: created }), 'a stale write is a harmless version conflict');
  t.deepEqual(await matchingPlans(client, alias, { term: { planId: plan.objectId } }), []);
});

test('search index › concurrent changes share bulk requests, batched by size and time', async (t) => {
  const flushes: number[] = [];
  const batched = new ElasticPlanIndex(client, alias, { maxActions: 40, maxWaitMs: 50, onFlush: (actions) => flushes.push(actions) });
  const plans = Array.from({ length: 12 }, () => aPlan());
  await Promise.all(
    plans.map((plan) => {
      const event: PlanEvent = { planId: plan.objectId, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: plan }], actor: 't', org: 'example.com', at: new Date().toISOString(), requestId: 'r', schemaVersion: EVENT_SCHEMA_VERSION };
      return batched.apply({ event, before: INITIAL_PLAN_STATE, after: evolvePlan(INITIAL_PLAN_STATE, event) });
    }),
  );
  t.is(flushes.reduce((a, b) => a + b, 0), 12 * 8, 'every document was written');
  t.true(flushes.length <= 3, `12 plans of 8 documents went out in ${flushes.length} requests: ${flushes.join(', ')}`);
  t.true(flushes.every((size) => size <= 40 + 8), 'no request grows far past the size bound');
  const found = await matchingPlans(client, alias, { terms: { planId: plans.map((p) => p.objectId) } });
  t.is(found.length, 12);
});

/** A plan of the sample's shape with `services` planservices, each with its service and cost share: 3 × services + 2 documents. */
function aPlanWithServices(services: number): PlanDocument {
  const plan = aPlan();
  const [template] = plan.linkedPlanServices as Record<string, Record<string, unknown>>[];
  const linkedPlanServices = Array.from({ length: services }, (_, i) => ({
    ...template,
    objectId: `${plan.objectId}-lps-${i}`,
    linkedService: { ...template!.linkedService, objectId: `${plan.objectId}-svc-${i}` },
    planserviceCostShares: { ...template!.planserviceCostShares, objectId: `${plan.objectId}-pscs-${i}` },
  }));
  return { ...plan, linkedPlanServices } as PlanDocument;
}

/** Every document of a plan in the index: id → [external version, source]. */
async function documentsOf(planId: string): Promise<Map<string, [number, Record<string, unknown>]>> {
  await client.indices.refresh({ index: alias });
  const found = await client.search<Record<string, unknown>>({ index: alias, size: 1000, version: true, query: { term: { planId } } });
  // Hits of equal score come in no set order: sort by id, so two reads of the same documents compare equal.
  const entries = found.hits.hits.map((hit): [string, [number, Record<string, unknown>]] => [hit._id ?? '', [hit._version ?? 0, hit._source ?? {}]]);
  return new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

test('search index › a one-field PATCH on a plan with 100 services writes 1 document, at the new version; the rest keep theirs', async (t) => {
  const written: number[] = [];
  const counting = new ElasticPlanIndex(client, alias, { onFlush: (actions) => written.push(actions) });
  const plan = aPlanWithServices(100);
  const createEvent: PlanEvent = { planId: plan.objectId, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: plan }], actor: 't', org: 'example.com', at: new Date().toISOString(), requestId: 'r', schemaVersion: EVENT_SCHEMA_VERSION };
  const created = evolvePlan(INITIAL_PLAN_STATE, createEvent);
  await counting.apply({ event: createEvent, before: INITIAL_PLAN_STATE, after: created });
  t.deepEqual(written, [302]);
  const patchEvent: PlanEvent = { ...createEvent, version: 2, type: 'patched', patch: [{ op: 'replace', path: '/linkedPlanServices/42/planserviceCostShares/copay', value: 7 }] };
  const patched = evolvePlan(created, patchEvent);
  written.length = 0;
  await counting.apply({ event: patchEvent, before: created, after: patched });
  t.deepEqual(written, [1], 'one document written');
  const documents = await documentsOf(plan.objectId);
  t.is(documents.size, 302);
  const changedId = `example.com/${plan.objectId}:${plan.objectId}-pscs-42`;
  t.deepEqual(documents.get(changedId)?.[0], 2);
  t.is(documents.get(changedId)?.[1].copay, 7);
  t.true([...documents].every(([id, [version]]) => id === changedId || version === 1), 'unchanged documents keep version 1');

  written.length = 0;
  await t.notThrowsAsync(counting.apply({ event: patchEvent, before: created, after: patched }), 'the same change again is a harmless conflict');
  await t.notThrowsAsync(counting.apply({ event: createEvent, before: INITIAL_PLAN_STATE, after: created }), 'so is the older create');
  t.deepEqual(written, [1, 302]);
  t.deepEqual(await documentsOf(plan.objectId), documents, 'stale replays changed nothing');

  const deleteEvent: PlanEvent = { ...createEvent, version: 3, type: 'deleted', patch: [] };
  written.length = 0;
  await counting.apply({ event: deleteEvent, before: patched, after: evolvePlan(patched, deleteEvent) });
  t.deepEqual(written, [302]);
  await counting.apply({ event: patchEvent, before: created, after: patched });
  t.is((await documentsOf(plan.objectId)).size, 0, 'an old change replayed after the delete brings nothing back');
});

test('search index › a change that alters no document writes nothing; a service moved to another parent is rewritten', async (t) => {
  const written: number[] = [];
  const counting = new ElasticPlanIndex(client, alias, { onFlush: (actions) => written.push(actions) });
  const plan = aPlan();
  let state = await change(INITIAL_PLAN_STATE, 'created', [{ op: 'add', path: '', value: plan }], plan.objectId);
  const reorder = { planId: plan.objectId, version: 2, type: 'patched', patch: [{ op: 'move', from: '/linkedPlanServices/1', path: '/linkedPlanServices/0' }], actor: 't', org: 'example.com', at: '', requestId: 'r', schemaVersion: EVENT_SCHEMA_VERSION } as PlanEvent;
  let after = evolvePlan(state, reorder);
  await counting.apply({ event: reorder, before: state, after });
  t.deepEqual(written, [], 'reordering services changes no search document');
  state = after;
  const move = { ...reorder, version: 3, patch: [{ op: 'move', from: '/linkedPlanServices/0/linkedService', path: '/linkedPlanServices/1/linkedService' }] } as PlanEvent;
  after = evolvePlan(state, move);
  await counting.apply({ event: move, before: state, after });
  t.deepEqual(written, [2], 'the moved service is rewritten under its new parent, the one it replaced deleted');
  const documents = await documentsOf(plan.objectId);
  t.deepEqual(documents.get(`example.com/${plan.objectId}:${plan.objectId}-svc2`)?.[1].plan_join, { name: 'linkedService', parent: `example.com/${plan.objectId}:${plan.objectId}-lps1` });
  t.false(documents.has(`example.com/${plan.objectId}:${plan.objectId}-svc1`));
});

test('search hits › report the version the head gives, else the version the plan document was last written at', async (t) => {
  const serviceName = `rare-${Date.now().toString(36)}`;
  const plan = aPlan({ serviceName });
  let state = await create(plan);
  state = await change(state, 'patched', [{ op: 'replace', path: '/linkedPlanServices/0/planserviceCostShares/copay', value: 1 }], plan.objectId);
  await client.indices.refresh({ index: alias });
  const request = parseSearchRequest({ 'linkedPlanServices.linkedService.name': serviceName });
  const bare = await new ElasticPlanSearch(client, alias).search(request, { org: 'example.com' });
  t.deepEqual(bare.hits.map((hit) => [hit.planId, hit.version]), [[plan.objectId, 1]], 'the plan document itself was last written at version 1');
  const asked: string[][] = [];
  const withHeads = new ElasticPlanSearch(client, alias, { currentVersions: async (plans) => (asked.push(plans.map((p) => `${p.org}/${p.planId}`)), plans.map(() => state.version)) });
  const page = await withHeads.search(request, { org: 'example.com' });
  t.deepEqual(page.hits.map((hit) => [hit.planId, hit.version, hit.org]), [[plan.objectId, 2, 'example.com']]);
  t.deepEqual(asked, [[`example.com/${plan.objectId}`]], 'one lookup for the page');
});
