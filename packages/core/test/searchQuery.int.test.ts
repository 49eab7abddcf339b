import test from 'ava';
import type { estypes } from '@elastic/elasticsearch';
import { EVENT_SCHEMA_VERSION, evolvePlan, INITIAL_PLAN_STATE, type JsonObject, type PlanDocument, type PlanEvent } from '../src/index.js';
import { ElasticPlanIndex, ensurePlanIndex } from '../src/adapters/elasticsearch/index.js';
import { compileSearchQuery } from '../src/adapters/elasticsearch/compileSearchQuery.js';
import { encodeSearchCursor, parseSearchRequest } from '../src/search/parseSearchRequest.js';
import { connectTestElastic, deleteAliasIndices } from './elasticTestContext.js';
import { aPlan } from './planMother.js';
import { randomPrefix } from './redisTestContext.js';

const client = connectTestElastic();
const alias = randomPrefix('plans-search');
const index = new ElasticPlanIndex(client, alias);
const ORG = 'example.com';
const OTHER = 'other.example';
const id = (n: number) => `${alias}-p${n}`;

const services = (plan: PlanDocument) => plan.linkedPlanServices as JsonObject[];
/** p2's copay-150 service is acupuncture, while its copay-0 service is named 'well baby'. */
const p2 = aPlan({ id: id(2), copay: 150, serviceName: 'acupuncture' });
(services(p2)[0]?.linkedService as JsonObject).name = 'well baby';
const p3: PlanDocument = { ...aPlan({ id: id(3), copay: 50 }), planType: 'outOfNetwork' };
delete p3.creationDate;
const p4: PlanDocument = { ...aPlan({ id: id(4), copay: 120, serviceName: 'chiropractic' }), planType: 'outOfNetwork' };
delete (p4.planCostShares as JsonObject).deductible;
const PLANS = [aPlan({ id: id(1), copay: 175 }), p2, p3, p4, aPlan({ id: id(5), copay: 100 }), aPlan({ id: id(6), org: OTHER, copay: 175 })];

test.before(async () => {
  await ensurePlanIndex(client, alias);
  for (const plan of PLANS) {
    const event: PlanEvent = { planId: plan.objectId, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: plan }], actor: 't', org: plan._org, at: new Date().toISOString(), requestId: 'r', schemaVersion: EVENT_SCHEMA_VERSION };
    await index.apply({ event, before: INITIAL_PLAN_STATE, after: evolvePlan(INITIAL_PLAN_STATE, event) });
  }
  await client.indices.refresh({ index: alias });
});
test.after.always(async () => {
  await deleteAliasIndices(client, alias);
  await client.close();
});

async function search(params: Record<string, unknown>, org: string | null = ORG) {
  const compiled = compileSearchQuery(parseSearchRequest(params), { org });
  const response = await client.search<{ planId: string }>({ index: alias, ...compiled } as estypes.SearchRequest);
  return { ids: response.hits.hits.map((hit) => hit._source?.planId ?? ''), hits: response.hits.hits, total: (response.hits.total as estypes.SearchTotalHits).value };
}
const idsOf = async (params: Record<string, unknown>, org: string | null = ORG) => (await search(params, org)).ids;
const ISSUE_EXAMPLE = { 'linkedPlanServices.planserviceCostShares.copay[gte]': '100', 'linkedPlanServices.linkedService.name': 'well baby', planType: 'inNetwork' };

test("search › the issue's example finds plans where ONE planservice has both copay ≥ 100 and 'well baby'", async (t) => {
  t.deepEqual(await idsOf(ISSUE_EXAMPLE), [id(1), id(5)], 'p2 has copay 150 on acupuncture and well baby at copay 0: no match');
  const separate = { bool: { filter: [
    { term: { plan_join: 'plan' } }, { term: { _org: ORG } },
    { has_child: { type: 'linkedPlanServices', query: { has_child: { type: 'planserviceCostShares', query: { range: { copay: { gte: 100 } } } } } } },
    { has_child: { type: 'linkedPlanServices', query: { has_child: { type: 'linkedService', query: { term: { 'name.keyword': 'well baby' } } } } } },
  ] } };
  const ungrouped = await client.search<{ planId: string }>({ index: alias, query: separate as estypes.QueryDslQueryContainer, sort: [{ planId: 'asc' }] });
  t.deepEqual(ungrouped.hits.hits.map((hit) => hit._source?.planId), [id(1), id(2), id(5)], 'without grouping p2 would match');
});

test('search › copay ranges, in and exact names', async (t) => {
  t.deepEqual(await idsOf({ 'linkedPlanServices.planserviceCostShares.copay[gt]': '100', 'linkedPlanServices.planserviceCostShares.copay[lt]': '175' }), [id(2), id(4)]);
  t.deepEqual(await idsOf({ 'linkedPlanServices.planserviceCostShares.copay[lte]': 100, 'linkedPlanServices.planserviceCostShares.copay[gte]': 50 }), [id(3), id(5)]);
  t.deepEqual(await idsOf({ 'planType[in]': 'outOfNetwork,somethingElse' }), [id(3), id(4)]);
  t.deepEqual(await idsOf({ 'linkedPlanServices.linkedService.name[in]': ['chiropractic', 'acupuncture'] }), [id(2), id(4)]);
  t.deepEqual(await idsOf({ 'linkedPlanServices.linkedService.name': 'Well Baby' }), [], 'eq on a name is exact and case-sensitive');
});

test('search › exists true and false', async (t) => {
  t.deepEqual(await idsOf({ 'planCostShares.deductible[exists]': 'true' }), [id(1), id(2), id(3), id(5)]);
  t.deepEqual(await idsOf({ 'planCostShares.deductible[exists]': 'false' }), [id(4)]);
  t.deepEqual(await idsOf({ 'creationDate[exists]': false }), [id(3)]);
  t.deepEqual(await idsOf({ 'linkedPlanServices.planserviceCostShares.copay[exists]': 'false' }), []);
});

test("search › q finds words in service names, and another org's plans never appear", async (t) => {
  t.deepEqual((await idsOf({ q: 'baby' })).sort(), [id(1), id(2), id(3), id(5)]);
  t.deepEqual(await idsOf({ q: 'chiropractic' }), [id(4)]);
  t.deepEqual(await idsOf({ q: 'baby chiropractic' }), [], 'every word must be in one name');
  t.deepEqual(await idsOf(ISSUE_EXAMPLE, OTHER), [id(6)]);
  t.deepEqual(await idsOf(ISSUE_EXAMPLE, null), [id(1), id(5), id(6)], 'an admin searches every org');
  t.false((await idsOf({})).includes(id(6)));
});

test('search › sorts by planType descending with planId breaking ties', async (t) => {
  t.deepEqual(await idsOf({ sort: '-planType' }), [id(3), id(4), id(1), id(2), id(5)]);
});

/** Follows cursors from the first page to the last, as a client would. */
async function allPages(params: Record<string, unknown>, limit: number): Promise<{ sizes: number[]; seen: string[]; totals: number[] }> {
  const pages = { sizes: [] as number[], seen: [] as string[], totals: [] as number[] };
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const { ids, hits, total } = await search({ ...params, limit: String(limit), ...(cursor === undefined ? {} : { cursor }) });
    pages.sizes.push(ids.length);
    pages.seen.push(...ids);
    pages.totals.push(total);
    if (ids.length < limit) break;
    cursor = encodeSearchCursor(hits.at(-1)?.sort ?? []);
  }
  return pages;
}

test('search › pages with search_after: limit 2 over 5 plans gives 3 pages without repeats', async (t) => {
  t.deepEqual(await allPages({ sort: 'planType' }, 2), { sizes: [2, 2, 1], seen: [id(1), id(2), id(5), id(3), id(4)], totals: [5, 5, 5] });
  const scored = await allPages({ q: 'baby' }, 3);
  t.deepEqual(scored.sizes, [3, 1], 'relevance-sorted pages carry the score in the cursor');
  t.deepEqual([...scored.seen].sort(), [id(1), id(2), id(3), id(5)]);
});
