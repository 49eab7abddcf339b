import test from 'ava';
import { EVENT_SCHEMA_VERSION, evolvePlan, INITIAL_PLAN_STATE, type PlanDocument, type PlanEvent, type PlanState } from '../src/index.js';
import { ElasticPlanIndex, ensurePlanIndex } from '../src/adapters/elasticsearch/index.js';
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
