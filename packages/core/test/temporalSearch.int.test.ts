import test from 'ava';
import fc from 'fast-check';
import type { estypes } from '@elastic/elasticsearch';
import { diffDocuments, EVENT_SCHEMA_VERSION, evolvePlan, foldPlan, INITIAL_PLAN_STATE, planKey, type JsonObject, type PlanDocument, type PlanEvent, type PlanEventType, type PlanState } from '../src/index.js';
import { compileSearchQuery, createBulkBatcher, ElasticPlanIndex, ElasticPlanSearch, ElasticTemporalIndex, ensurePlanIndex, TEMPORAL_INDEX_BODY } from '../src/adapters/elasticsearch/index.js';
import { createRedisKeys, RedisTemporalState } from '../src/adapters/redis/index.js';
import { InMemoryEventLog } from '../src/memory/InMemoryEventLog.js';
import { MISSING_DATE_SORT_VALUES, parseSearchRequest, type SearchRequest } from '../src/search/parseSearchRequest.js';
import { normalisePlanDate } from '../src/parsePlanDate.js';
import { connectTestElastic, deleteAliasIndices } from './elasticTestContext.js';
import { connectTestRedis, deleteKeys, randomPrefix } from './redisTestContext.js';
import { matchesSearch } from './searchReference.js';

const client = connectTestElastic();
const redis = connectTestRedis();
const alias = randomPrefix('plans-asof');
const prefix = randomPrefix('asof');
const keys = createRedisKeys({ prefix, partitions: 16 });
let index = '';

test.before(async () => {
  index = await ensurePlanIndex(client, alias, TEMPORAL_INDEX_BODY);
});
test.after.always(async () => {
  await deleteAliasIndices(client, alias);
  await deleteKeys(redis, prefix);
  redis.disconnect();
  await client.close();
});

// ---- histories -------------------------------------------------------------------------------

const NAMES = ['well baby', 'acupuncture', 'yoga class'] as const;
const COPAYS = [0, 50, 100, 150] as const;
const START = Date.parse('2026-03-01T00:00:00Z');

interface ServiceShape {
  readonly slot: number;
  readonly name: (typeof NAMES)[number];
  readonly copay: number;
}
interface PlanShape {
  readonly planType: 'inNetwork' | 'outOfNetwork';
  readonly copay: number;
  readonly deductible: boolean;
  readonly creationDate: string | null;
  readonly services: ServiceShape[];
}

const serviceShape = fc.record({ slot: fc.integer({ min: 0, max: 3 }), name: fc.constantFrom(...NAMES), copay: fc.constantFrom(...COPAYS) });
const planShape: fc.Arbitrary<PlanShape> = fc.record({
  planType: fc.constantFrom('inNetwork' as const, 'outOfNetwork' as const),
  copay: fc.constantFrom(...COPAYS),
  deductible: fc.boolean(),
  creationDate: fc.constantFrom('12-12-2017', '2018-01-05', null),
  services: fc.uniqueArray(serviceShape, { maxLength: 3, selector: (s) => s.slot }),
});

/** A plan document of that shape; objectIds follow the plan and the service slot, so a replace may keep them. */
function planOf(org: string, planId: string, shape: PlanShape): PlanDocument {
  const plan: JsonObject = {
    planCostShares: { ...(shape.deductible ? { deductible: 2000 } : {}), _org: org, copay: shape.copay, objectId: `${planId}-pcs`, objectType: 'membercostshare' },
    linkedPlanServices: shape.services.map((service) => ({
      linkedService: { _org: org, objectId: `${planId}-svc${service.slot}`, objectType: 'service', name: service.name },
      planserviceCostShares: { deductible: 10, _org: org, copay: service.copay, objectId: `${planId}-pscs${service.slot}`, objectType: 'membercostshare' },
      _org: org,
      objectId: `${planId}-lps${service.slot}`,
      objectType: 'planservice',
    })),
    _org: org,
    objectId: planId,
    objectType: 'plan',
    planType: shape.planType,
    ...(shape.creationDate === null ? {} : { creationDate: shape.creationDate }),
  };
  if (shape.services.length === 0) delete plan.linkedPlanServices;
  return plan as PlanDocument;
}

/** One step of a history: which plan, what it becomes (null: deleted; a shape: created, patched or replaced), how long after the step before. */
const step = fc.record({ plan: fc.integer({ min: 0, max: 2 }), change: fc.option(planShape, { nil: null, freq: 5 }), wholesale: fc.boolean(), gapMs: fc.constantFrom(0, 1, 2, 1000, 86_400_000) });

/** Events of every plan, in log order, from the steps (a step that cannot apply, like deleting what does not exist, creates instead). */
function historyOf(org: string, steps: readonly { plan: number; change: PlanShape | null; wholesale: boolean; gapMs: number }[]): PlanEvent[] {
  const states = new Map<string, PlanState>();
  const events: PlanEvent[] = [];
  let at = START;
  for (const { plan, change, wholesale, gapMs } of steps) {
    const planId = `${org}-plan${plan}`;
    const state = states.get(planId) ?? INITIAL_PLAN_STATE;
    at += gapMs;
    const shape = change ?? (state.document === null ? null : undefined);
    let type: PlanEventType;
    let patch: PlanEvent['patch'];
    if (shape === undefined) {
      type = 'deleted';
      patch = [];
    } else {
      const next = planOf(org, planId, shape ?? { planType: 'inNetwork', copay: 0, deductible: true, creationDate: null, services: [] });
      if (state.document === null) [type, patch] = ['created', [{ op: 'add', path: '', value: next }]];
      else [type, patch] = [wholesale ? 'replaced' : 'patched', diffDocuments(state.document, next)];
    }
    const event: PlanEvent = { planId, version: state.version + 1, type, patch, actor: 'property', org, at: new Date(at).toISOString(), requestId: `r${events.length}`, schemaVersion: EVENT_SCHEMA_VERSION };
    states.set(planId, evolvePlan(state, event));
    events.push(event);
  }
  return events;
}

// ---- searches --------------------------------------------------------------------------------

const FILTERS: Record<string, fc.Arbitrary<string>> = {
  planType: fc.constantFrom('inNetwork', 'outOfNetwork'),
  'planCostShares.copay[gte]': fc.constantFrom('0', '50', '100', '150'),
  'planCostShares.deductible[exists]': fc.constantFrom('true', 'false'),
  'linkedPlanServices.planserviceCostShares.copay[gte]': fc.constantFrom('50', '100', '150'),
  'linkedPlanServices.linkedService.name': fc.constantFrom(...NAMES),
  'linkedPlanServices.objectId[exists]': fc.constantFrom('true', 'false'),
  'creationDate[gte]': fc.constantFrom('2018-01-01', '2017-12-12'),
};
const searchParams = fc.record(
  {
    filters: fc.uniqueArray(fc.constantFrom(...Object.keys(FILTERS)), { maxLength: 3 }).chain((names) => fc.tuple(...names.map((name) => FILTERS[name]!.map((value) => [name, value] as const)))),
    q: fc.option(fc.constantFrom('baby', 'yoga', 'well baby', 'acupuncture'), { nil: undefined, freq: 3 }),
    sort: fc.option(fc.constantFrom('planType', '-planType', 'creationDate', '-creationDate'), { nil: undefined }),
  },
  { requiredKeys: ['filters'] },
);

/** The plan as it was at `at`: the newest version whose event time is at or before it. */
function foldAt(events: readonly PlanEvent[], at: number): PlanDocument | null {
  return foldPlan(events.filter((event) => Date.parse(event.at) <= at)).document;
}

/** The answer the README promises: the matching plans at that moment, in sort order, then by plan key. */
function expectedIds(byPlan: Map<string, PlanEvent[]>, request: SearchRequest, at: number): string[] {
  const matching = [...byPlan.values()].map((events) => foldAt(events, at)).filter((plan): plan is PlanDocument => plan !== null && matchesSearch(plan, request));
  const key = (plan: PlanDocument, field: string, order: 'asc' | 'desc'): string =>
    field === 'creationDate' ? (normalisePlanDate(plan.creationDate ?? null) ?? MISSING_DATE_SORT_VALUES[order]) : String(plan[field]);
  return matching
    .sort((a, b) => {
      for (const { field, order } of request.sort) {
        if (field === '_score') continue;
        const [x, y] = [key(a, field, order), key(b, field, order)];
        if (x !== y) return (x < y ? -1 : 1) * (order === 'asc' ? 1 : -1);
      }
      const [x, y] = [planKey({ org: a._org, planId: a.objectId }), planKey({ org: b._org, planId: b.objectId })];
      return x < y ? -1 : x > y ? 1 : 0;
    })
    .map((plan) => plan.objectId);
}

/** Every page of the search as of `at`, two hits a page, through search_after. */
async function searchAll(request: SearchRequest, org: string, at: number): Promise<string[]> {
  const ids: string[] = [];
  for (let cursor: unknown[] | null = null; ; ) {
    const compiled = compileSearchQuery({ ...request, limit: 2, cursor }, { org, asOf: at });
    const response = await client.search<{ planId: string }>({ index: alias, ...compiled } as estypes.SearchRequest);
    const hits = response.hits.hits;
    ids.push(...hits.map((hit) => hit._source?.planId ?? ''));
    if (hits.length < 2) return ids;
    cursor = hits.at(-1)!.sort as unknown[];
  }
}

/** Projects the events as the projector would, several consecutive versions of a plan coalesced at random. */
async function project(target: ElasticTemporalIndex, byPlan: Map<string, PlanEvent[]>, chunks: number[]): Promise<void> {
  let c = 0;
  for (const events of byPlan.values()) {
    let before = INITIAL_PLAN_STATE;
    for (let i = 0; i < events.length; ) {
      const chain = events.slice(i, i + (chunks[c++ % chunks.length] ?? 1));
      const after = foldPlan(chain, before);
      await target.apply({ event: chain.at(-1)!, events: chain, before, after });
      before = after;
      i += chain.length;
    }
  }
}

let checks = 0;

test.serial('asOf search › equals filtering the fold of each plan at that time, for random histories, times and searches', async (t) => {
  const target = new ElasticTemporalIndex(client, index, new RedisTemporalState(redis, keys, index), new InMemoryEventLog());
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 }), fc.array(searchParams, { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 1, maxLength: 4 }), async (steps, chunks, searches, nudges) => {
      const org = `${alias}-h${run++}.example`;
      const events = historyOf(org, steps);
      const byPlan = new Map<string, PlanEvent[]>();
      for (const event of events) byPlan.set(event.planId, [...(byPlan.get(event.planId) ?? []), event]);
      await project(target, byPlan, chunks);
      await client.indices.refresh({ index: alias });
      // Exactly at a change, a millisecond either side, before everything and long after.
      const times = [...new Set(events.map((event) => Date.parse(event.at)))];
      const moments = [START - 1, times.at(-1)! + 86_400_000 * 400, ...times.flatMap((time, i) => [time + (nudges[i % nudges.length] ?? 0)])];
      for (const at of moments) {
        for (const { filters, q, sort } of searches) {
          const request = parseSearchRequest({ ...Object.fromEntries(filters), ...(q ? { q } : {}), ...(sort ? { sort } : {}) });
          const expected = expectedIds(byPlan, request, at);
          const found = await searchAll(request, org, at);
          const scored = request.sort.some((key) => key.field === '_score');
          const [a, b] = scored ? [[...found].sort(), [...expected].sort()] : [found, expected];
          checks++;
          if (JSON.stringify(a) !== JSON.stringify(b)) {
            t.log({ at: new Date(at).toISOString(), filters, q, sort, expected, found, events: events.map((e) => `${e.planId}@${e.version} ${e.type} ${e.at}`) });
            return false;
          }
        }
      }
      return true;
    }),
    { numRuns: Number(process.env.ASOF_PROPERTY_RUNS ?? 40), seed: Number(process.env.ASOF_PROPERTY_SEED ?? 20261201) },
  );
  t.log(`${run} histories, ${checks} searches compared with the fold`);
  t.true(checks > 0);
});

test.serial('asOf search › a time before creation, exactly at a change, after deletion, and a re-created plan', async (t) => {
  const org = `${alias}-edges.example`;
  const target = new ElasticTemporalIndex(client, index, new RedisTemporalState(redis, keys, index), new InMemoryEventLog());
  const shape = (copay: number): PlanShape => ({ planType: 'inNetwork', copay, deductible: true, creationDate: '2018-01-05', services: [{ slot: 0, name: 'well baby', copay }] });
  const t0 = START + 1000;
  const steps = [
    { plan: 0, change: shape(50), wholesale: false, gapMs: 1000 }, // created at t0
    { plan: 0, change: shape(150), wholesale: false, gapMs: 1000 }, // copay 150 at t0+1000
    { plan: 0, change: null, wholesale: false, gapMs: 1000 }, // deleted at t0+2000
    { plan: 0, change: shape(100), wholesale: false, gapMs: 1000 }, // re-created at t0+3000
  ];
  const events = historyOf(org, steps);
  await project(target, new Map([[events[0]!.planId, events]]), [1]);
  await client.indices.refresh({ index: alias });
  const ids = (params: Record<string, string>, at: number) => searchAll(parseSearchRequest(params), org, at);
  const planId = events[0]!.planId;
  const copay = 'linkedPlanServices.planserviceCostShares.copay[gte]';
  t.deepEqual(await ids({}, t0 - 1), [], 'before creation');
  t.deepEqual(await ids({}, t0), [planId], 'exactly at creation');
  t.deepEqual(await ids({ [copay]: '100' }, t0 + 999), [], 'a millisecond before the change');
  t.deepEqual(await ids({ [copay]: '100' }, t0 + 1000), [planId], 'exactly at the change');
  t.deepEqual(await ids({}, t0 + 2000), [], 'exactly at deletion');
  t.deepEqual(await ids({ [copay]: '150' }, t0 + 1999), [planId], 'the moment before deletion');
  t.deepEqual(await ids({ [copay]: '150' }, t0 + 3000), [], 'the re-created plan has copay 100');
  t.deepEqual(await ids({ [copay]: '100' }, t0 + 3000), [planId], 'the re-created plan');
  t.deepEqual(await ids({ q: 'baby' }, t0 + 2500), [], 'no full-text hit while deleted');
  t.deepEqual(await ids({ q: 'baby' }, t0 + 3500), [planId], 'a full-text hit once re-created');
  t.deepEqual(await searchAll(parseSearchRequest({}), 'other.example', t0 + 3500), [], 'another org never sees it');
});

test.serial('asOf search › a target that holds another state than the change says reads the versions in between from the log', async (t) => {
  const org = `${alias}-heal.example`;
  const log = new InMemoryEventLog();
  const target = new ElasticTemporalIndex(client, index, new RedisTemporalState(redis, keys, index), log);
  const shape = (copay: number): PlanShape => ({ planType: 'inNetwork', copay, deductible: true, creationDate: null, services: [{ slot: 1, name: 'yoga class', copay }] });
  const events = historyOf(org, [0, 50, 100, 150, 0].map((copay) => ({ plan: 0, change: shape(copay), wholesale: false, gapMs: 1000 })));
  for (const [i, event] of events.entries()) await log.append({ event, document: foldPlan(events.slice(0, i + 1)).document });
  // The target takes versions 1–3; then a writer that saw only version 1 hands it 2–5.
  await target.apply({ event: events[2]!, events: events.slice(0, 3), before: INITIAL_PLAN_STATE, after: foldPlan(events.slice(0, 3)) });
  const v1 = foldPlan(events.slice(0, 1));
  await target.apply({ event: events[4]!, events: events.slice(1), before: v1, after: foldPlan(events) });
  // And a stale writer's older change changes nothing.
  await target.apply({ event: events[1]!, events: events.slice(1, 2), before: v1, after: foldPlan(events.slice(0, 2)) });
  await client.indices.refresh({ index: alias });
  const copay = 'linkedPlanServices.planserviceCostShares.copay[gte]';
  for (const [i, event] of events.entries()) {
    const at = Date.parse(event.at);
    const expected = [0, 50, 100, 150, 0][i]! >= 100 ? [event.planId] : [];
    t.deepEqual(await searchAll(parseSearchRequest({ [copay]: '100' }), org, at), expected, `at version ${i + 1}`);
  }
  const held = await new RedisTemporalState(redis, keys, index).get({ org, planId: events[0]!.planId });
  t.is(held.version, 5);
  t.is(held.open.size, 5, 'plan, its cost shares, one planservice with its service and cost shares: each with one open version');
});

test.serial('asOf search › a search target and a temporal target sharing a batcher write a change of both in one bulk request', async (t) => {
  const org = `${alias}-shared.example`;
  const searchAlias = `${alias}-now`;
  await ensurePlanIndex(client, searchAlias);
  const flushes: number[] = [];
  const batcher = createBulkBatcher({ client, maxWaitMs: 50, onFlush: (actions) => flushes.push(actions) });
  const searchTarget = new ElasticPlanIndex(client, searchAlias, batcher);
  const temporal = new ElasticTemporalIndex(client, index, new RedisTemporalState(redis, keys, index), new InMemoryEventLog(), batcher);
  const [created] = historyOf(org, [{ plan: 0, change: { planType: 'inNetwork', copay: 150, deductible: false, creationDate: null, services: [{ slot: 0, name: 'acupuncture', copay: 150 }] }, wholesale: false, gapMs: 1000 }]);
  const change = { event: created!, before: INITIAL_PLAN_STATE, after: evolvePlan(INITIAL_PLAN_STATE, created!) };
  try {
    await Promise.all([searchTarget.apply(change), temporal.apply(change)]);
    await client.indices.refresh({ index: [searchAlias, alias] });
    const params = parseSearchRequest({ 'linkedPlanServices.planserviceCostShares.copay[gte]': '100' });
    t.deepEqual(await searchAll(params, org, Date.parse(created!.at)), [created!.planId], 'the temporal index has the change');
    const now = await client.search({ index: searchAlias, query: { term: { planId: created!.planId } } });
    t.is(now.hits.hits.length, 5, 'the search index has every document of the plan: plan, cost shares, planservice, service, its cost shares');
    const versions = await client.count({ index, query: { term: { planKey: planKey({ org, planId: created!.planId }) } } });
    t.true(versions.count >= 5, 'the temporal index has a version of each object');
    t.deepEqual(flushes, [5 + versions.count], 'one bulk request carried both indices’ documents, not one request each');
  } finally {
    await deleteAliasIndices(client, searchAlias);
  }
});

test.serial('asOf search › before any projector made the indices, a search (as of a time or now) finds nothing instead of failing', async (t) => {
  const missing = randomPrefix('plans-missing');
  const search = new ElasticPlanSearch(client, missing, { temporalAlias: `${missing}-asof` });
  t.deepEqual(await search.search(parseSearchRequest({ asOf: '2026-03-01T00:00:00Z' }), { org: 'example.com' }), { total: 0, hits: [], next: null });
  t.deepEqual(await search.search(parseSearchRequest({ planType: 'inNetwork' }), { org: 'example.com' }), { total: 0, hits: [], next: null });
});
