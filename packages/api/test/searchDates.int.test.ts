import test from 'ava';
import { EVENT_SCHEMA_VERSION, evolvePlan, INITIAL_PLAN_STATE, type PlanDocument, type PlanEvent } from '@planledger/core';
import { ElasticPlanIndex, ElasticPlanSearch, ensurePlanIndex } from '@planledger/core/elasticsearch';
import { connectTestElastic, deleteAliasIndices } from '../../core/test/elasticTestContext.js';
import { aPlan } from '../../core/test/planMother.js';
import { randomPrefix } from '../../core/test/redisTestContext.js';
import { startWriteSide, type WriteSide } from './writeSideContext.js';

const es = connectTestElastic();
const alias = randomPrefix('plans-http-dates');
let side: WriteSide;
/** Two plans, dated in the two accepted formats, projected into a fresh index as the projector would. */
const older: PlanDocument = { ...aPlan({ id: `${alias}-older` }), creationDate: '12-12-2017' };
const newer: PlanDocument = { ...aPlan({ id: `${alias}-newer` }), creationDate: '2030-06-01' };

test.before(async () => {
  await ensurePlanIndex(es, alias);
  const index = new ElasticPlanIndex(es, alias);
  for (const plan of [older, newer]) {
    const event: PlanEvent = { planId: plan.objectId, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: plan }], actor: 't', org: plan._org, at: new Date().toISOString(), requestId: 'r', schemaVersion: EVENT_SCHEMA_VERSION };
    await index.apply({ event, before: INITIAL_PLAN_STATE, after: evolvePlan(INITIAL_PLAN_STATE, event) });
  }
  await es.indices.refresh({ index: alias });
  side = await startWriteSide({ search: new ElasticPlanSearch(es, alias) });
});
test.after.always(async () => {
  await side?.stop();
  await deleteAliasIndices(es, alias);
  await es.close();
});

type Page = { total: number; items: { planId: string; creationDate: string | null }[] };
type Problem = { status: number; violations: { pointer: string; message: string }[] };

test('GET /v1/search › dates compare as days in either format; hits carry the canonical day', async (t) => {
  const found = async (query: string) => {
    const response = await side.reader.get<Page>(`/v1/search?${query}&sort=creationDate`);
    t.is(response.status, 200, query);
    return response.body.items.map((item) => [item.planId, item.creationDate]);
  };
  t.deepEqual(await found('creationDate[gt]=06-01-2030'), [], '06-01-2030 is after 12-12-2017');
  t.deepEqual(await found('creationDate[gte]=06-01-2030'), [[newer.objectId, '2030-06-01']]);
  t.deepEqual(await found('creationDate=2017-12-12'), [[older.objectId, '2017-12-12']], 'finds the plan dated 12-12-2017');
  t.deepEqual(await found('creationDate[lt]=2030-06-01'), [[older.objectId, '2017-12-12']]);
  t.deepEqual(await found('creationDate[lte]=12-31-2030'), [[older.objectId, '2017-12-12'], [newer.objectId, '2030-06-01']]);
});

test('GET and POST /v1/search › a date filter value that is not a day is 400 problem+json naming the parameter and the value', async (t) => {
  for (const [key, value] of [['creationDate[gte]', 'garbage'], ['creationDate', '02-30-2020'], ['creationDate[lt]', '2017-12-12T00:00:00Z'], ['creationDate[in]', '2017-12-12,13-01-2017']]) {
    for (const response of [await side.reader.get<Problem>(`/v1/search?${key}=${encodeURIComponent(value!)}`), await side.reader.request<Problem>('POST', '/v1/search', { body: { [key!]: value } })]) {
      t.is(response.status, 400, `${key}=${value}`);
      t.regex(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
      t.is(response.body.violations.length, 1);
      t.is(response.body.violations[0]?.pointer, `/${key}`);
      t.regex(response.body.violations[0]?.message ?? '', /^"[^"]+" (is not a date|has (day|month))/);
    }
  }
  const garbage = await side.reader.get<Problem>('/v1/search?creationDate[gte]=garbage');
  t.deepEqual(garbage.body.violations, [{ pointer: '/creationDate[gte]', message: '"garbage" is not a date as MM-DD-YYYY or YYYY-MM-DD.' }]);
});

test('POST /v1/plans › a creationDate the calendar lacks is 400 at /creationDate; nothing is appended', async (t) => {
  const plan: PlanDocument = { ...aPlan(), creationDate: '02-30-2020' };
  const response = await side.writer.post('/v1/plans', plan);
  t.is(response.status, 400);
  t.deepEqual((response.body as unknown as Problem).violations, [{ pointer: '/creationDate', message: 'has day 30, but 02/2020 has days 01 to 29' }]);
  t.is((await side.log.events({ org: 'example.com', planId: plan.objectId })).length, 0);
});
