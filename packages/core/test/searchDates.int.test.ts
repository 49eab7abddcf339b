import test from 'ava';
import { EVENT_SCHEMA_VERSION, evolvePlan, INITIAL_PLAN_STATE, type PlanDocument, type PlanEvent } from '../src/index.js';
import { ElasticPlanIndex, ElasticPlanSearch, ensurePlanIndex } from '../src/adapters/elasticsearch/index.js';
import { parseSearchRequest } from '../src/search/parseSearchRequest.js';
import { connectTestElastic, deleteAliasIndices } from './elasticTestContext.js';
import { aPlan } from './planMother.js';
import { randomPrefix } from './redisTestContext.js';

const client = connectTestElastic();
const alias = randomPrefix('plans-dates');
const ORG = 'example.com';
const id = (n: number) => `${alias}-d${n}`;
const dated = (n: number, creationDate: string): PlanDocument => ({ ...aPlan({ id: id(n) }), creationDate });
/** d5 and d6 were stored before impossible days were refused: they are indexed without a date (2021-02-29 is not read as 03-01). */
const PLANS = [dated(1, '12-12-2017'), dated(2, '2030-06-01'), dated(3, '06-01-2030'), dated(4, '2019-02-28'), dated(5, '02-30-2020'), dated(6, '2021-02-29')];
const search = new ElasticPlanSearch(client, alias);

test.before(async () => {
  await ensurePlanIndex(client, alias);
  const index = new ElasticPlanIndex(client, alias);
  for (const plan of PLANS) {
    const event: PlanEvent = { planId: plan.objectId, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: plan }], actor: 't', org: ORG, at: new Date().toISOString(), requestId: 'r', schemaVersion: EVENT_SCHEMA_VERSION };
    await index.apply({ event, before: INITIAL_PLAN_STATE, after: evolvePlan(INITIAL_PLAN_STATE, event) });
  }
  await client.indices.refresh({ index: alias });
});
test.after.always(async () => {
  await deleteAliasIndices(client, alias);
  await client.close();
});

const idsOf = async (params: Record<string, unknown>) => (await search.search(parseSearchRequest(params), { org: ORG })).hits.map((hit) => hit.planId);

test('search dates › gt and lt compare days, not text, across both formats', async (t) => {
  t.deepEqual(await idsOf({ 'creationDate[gt]': '06-01-2030' }), [], '06-01-2030 is after 12-12-2017, although "12" > "06" as text');
  t.deepEqual(await idsOf({ 'creationDate[gt]': '12-12-2017' }), [id(2), id(3), id(4)]);
  t.deepEqual(await idsOf({ 'creationDate[gte]': '2021-03-01', 'creationDate[lte]': '2021-03-01' }), [], 'an old 2021-02-29 is not taken for 2021-03-01');
  t.deepEqual(await idsOf({ 'creationDate[lt]': '06-01-2030' }), [id(1), id(4)]);
  t.deepEqual(await idsOf({ 'creationDate[lt]': '2030-06-01' }), [id(1), id(4)]);
});

test('search dates › gte and lte include the day itself, whichever format either side used', async (t) => {
  t.deepEqual(await idsOf({ 'creationDate[gte]': '2030-06-01' }), [id(2), id(3)]);
  t.deepEqual(await idsOf({ 'creationDate[lte]': '2017-12-12' }), [id(1)]);
  t.deepEqual(await idsOf({ 'creationDate[gte]': '12-12-2017', 'creationDate[lte]': '02-28-2019' }), [id(1), id(4)]);
});

test('search dates › eq and in find a day written in the other format', async (t) => {
  t.deepEqual(await idsOf({ creationDate: '2017-12-12' }), [id(1)], 'the plan dated 12-12-2017');
  t.deepEqual(await idsOf({ creationDate: '06-01-2030' }), [id(2), id(3)]);
  t.deepEqual(await idsOf({ 'creationDate[in]': '2017-12-12,02-28-2019' }), [id(1), id(4)]);
  t.deepEqual(await idsOf({ 'creationDate[exists]': 'false' }), [id(5), id(6)], 'the impossible day of an old plan is not indexed as a date');
});

test('search dates › sorting by creationDate sorts days; undated plans come last either way', async (t) => {
  t.deepEqual(await idsOf({ sort: 'creationDate' }), [id(1), id(4), id(2), id(3), id(5), id(6)]);
  t.deepEqual(await idsOf({ sort: '-creationDate' }), [id(2), id(3), id(4), id(1), id(5), id(6)]);
});

test('search dates › cursor pages follow the date order, across the undated plan, without repeats', async (t) => {
  const ascending = [id(1), id(4), id(2), id(3), id(5), id(6)];
  const descending = [id(2), id(3), id(4), id(1), id(5), id(6)];
  for (const [sort, expected] of [['creationDate', ascending], ['-creationDate', descending]] as const) {
    for (const limit of [2, 5]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 6; page++) {
        const result = await search.search(parseSearchRequest({ sort, limit: String(limit), ...(cursor === null ? {} : { cursor }) }), { org: ORG });
        seen.push(...result.hits.map((hit) => hit.planId));
        cursor = result.next;
        if (cursor === null) break;
      }
      t.deepEqual(seen, expected, `${sort}, limit ${limit}${limit === 5 ? ': a page ends on an undated plan' : ''}`);
    }
  }
});

test('search dates › hits carry the canonical day, and null for a plan without a real one', async (t) => {
  const hits = (await search.search(parseSearchRequest({ sort: 'creationDate' }), { org: ORG })).hits;
  t.deepEqual(hits.map((hit) => hit.creationDate), ['2017-12-12', '2019-02-28', '2030-06-01', '2030-06-01', null, null]);
});

test('ensurePlanIndex › maps creationDate as a date in strict_date, so a rebuilt index compares days', async (t) => {
  const mappings = await client.indices.getMapping({ index: alias });
  const [mapping] = Object.values(mappings);
  t.like(mapping?.mappings.properties?.creationDate, { type: 'date', format: 'strict_date' });
});
