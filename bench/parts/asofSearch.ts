import { performance } from 'node:perf_hooks';
import { diffDocuments, EVENT_SCHEMA_VERSION, foldPlan, INITIAL_PLAN_STATE, type JsonObject, type PlanDocument, type PlanEvent } from '../../packages/core/src/index.js';
import { compileSearchQuery, ElasticPlanIndex, ElasticTemporalIndex, ensurePlanIndex, TEMPORAL_INDEX_BODY } from '../../packages/core/src/adapters/elasticsearch/index.js';
import { createRedisKeys, RedisTemporalState } from '../../packages/core/src/adapters/redis/index.js';
import { InMemoryEventLog } from '../../packages/core/src/memory/InMemoryEventLog.js';
import { parseSearchRequest } from '../../packages/core/src/search/parseSearchRequest.js';
import { aPlan } from '../../packages/core/test/planMother.js';
import { deleteAliasIndices } from '../../packages/core/test/elasticTestContext.js';
import { deleteKeys, randomPrefix } from '../../packages/core/test/redisTestContext.js';
import { percentile, type BenchPart } from '../benchContext.js';

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const SEARCHES = [
  { 'linkedPlanServices.planserviceCostShares.copay[gte]': '100', 'linkedPlanServices.linkedService.name': 'well baby' },
  { planType: 'inNetwork', 'planCostShares.copay[lte]': '50' },
  { q: 'baby', sort: '-creationDate' },
];

/** A plan's history: created, then one field changed per version (a service's copay, the plan's copay or type), a day or so apart. */
function historyOf(org: string, n: number, versions: number): PlanEvent[] {
  let document: PlanDocument = aPlan({ id: `${org}-p${n}`, org, copay: (n * 37) % 200 });
  const events: PlanEvent[] = [];
  let at = START + ((n * 7919) % (30 * DAY));
  for (let version = 1; version <= versions; version += 1) {
    const next = version === 1 ? document : structuredClone(document);
    if (version > 1) {
      const services = next.linkedPlanServices as JsonObject[];
      const which = (n + version) % 3;
      if (which === 0) (services[version % services.length]!.planserviceCostShares as JsonObject).copay = (n * 13 + version * 29) % 200;
      else if (which === 1) (next.planCostShares as JsonObject).copay = (n + version * 17) % 120;
      else next.planType = version % 2 === 0 ? 'outOfNetwork' : 'inNetwork';
    }
    const patch = version === 1 ? [{ op: 'add' as const, path: '', value: next }] : diffDocuments(document, next);
    events.push({ planId: next.objectId, version, type: version === 1 ? 'created' : 'patched', patch, actor: 'bench', org, at: new Date(at).toISOString(), requestId: `b${n}-${version}`, schemaVersion: EVENT_SCHEMA_VERSION });
    document = next;
    at += DAY + ((n * version) % 3_600_000);
  }
  return events;
}

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/**
 * `asOf` search latency on many plans with ~10 versions each, beside the same searches without
 * `asOf` over the search index of the same plans' current states (same run), and what the
 * temporal index costs per event (documents and bytes on disk after a merge).
 */
export const asofSearch: BenchPart = async ({ redis, es, sizes, say }) => {
  const plans = sizes.asofPlans;
  const versions = 10;
  const alias = randomPrefix('bench-asof');
  const prefix = randomPrefix('bench-asof');
  const org = `${alias}.example`;
  try {
    const temporalIndex = await ensurePlanIndex(es, `${alias}-asof`, TEMPORAL_INDEX_BODY);
    await ensurePlanIndex(es, `${alias}-now`);
    const temporal = new ElasticTemporalIndex(es, temporalIndex, new RedisTemporalState(redis, createRedisKeys({ prefix, partitions: 16 }), temporalIndex), new InMemoryEventLog(), { maxActions: 4000, maxWaitMs: 20 });
    const current = new ElasticPlanIndex(es, `${alias}-now`, { maxActions: 4000, maxWaitMs: 20 });
    say(`asOf search: projecting ${plans} plans × ${versions} versions into the temporal index and their current states into a search index`);
    const started = performance.now();
    await inParallel(Array.from({ length: plans }, (_, n) => n), 64, async (n) => {
      const events = historyOf(org, n, versions);
      const after = foldPlan(events);
      // Half the plans arrive one version at a time (live), half as one coalesced change (a burst, a rebuild).
      if (n % 2 === 0) {
        let before = INITIAL_PLAN_STATE;
        for (const event of events) {
          const next = foldPlan([event], before);
          await temporal.apply({ event, events: [event], before, after: next });
          before = next;
        }
      } else await temporal.apply({ event: events.at(-1)!, events, before: INITIAL_PLAN_STATE, after });
      await current.apply({ event: events.at(-1)!, before: INITIAL_PLAN_STATE, after });
    });
    const projectSeconds = (performance.now() - started) / 1000;
    await es.indices.refresh({ index: [`${alias}-asof`, `${alias}-now`] });
    // Both merged, so neither search pays for segments the other does not have.
    await es.indices.forcemerge({ index: [`${alias}-asof`, `${alias}-now`], max_num_segments: 1 });
    type StoreStats = { _all: { primaries: { store: { size_in_bytes: number }; docs: { count: number } } } };
    const stats = (await es.indices.stats({ index: temporalIndex, metric: ['store', 'docs'] })) as StoreStats;
    const searchStats = (await es.indices.stats({ index: `${alias}-now`, metric: ['store', 'docs'] })) as StoreStats;
    const events = plans * versions;
    const bytesPerEvent = stats._all.primaries.store.size_in_bytes / events;
    const docsPerEvent = stats._all.primaries.docs.count / events;

    const timed = async (index: string, asOf: number | null): Promise<number[]> => {
      const took: number[] = [];
      for (let i = 0; i < sizes.asofSearches; i += 1) {
        const request = parseSearchRequest(SEARCHES[i % SEARCHES.length]!);
        const at = asOf === null ? null : START + ((i * 104_729) % (versions * DAY + 30 * DAY));
        const t0 = performance.now();
        await es.search({ index, ...compileSearchQuery(request, { org, asOf: at }), size: request.limit + 1 } as never);
        took.push(performance.now() - t0);
      }
      return took;
    };
    await timed(`${alias}-asof`, 0);
    await timed(`${alias}-now`, null);
    const [asof, now] = [await timed(`${alias}-asof`, 0), await timed(`${alias}-now`, null)];
    const summary = (values: number[]) => ({ p50: Number(percentile(values, 50).toFixed(1)), p99: Number(percentile(values, 99).toFixed(1)) });
    const [a, b] = [summary(asof), summary(now)];
    say(`asOf search p50 ${a.p50} ms, p99 ${a.p99} ms; without asOf p50 ${b.p50} ms, p99 ${b.p99} ms; ${docsPerEvent.toFixed(2)} docs and ${Math.round(bytesPerEvent)} bytes per event`);
    const details = { plans, versions, events, searches: sizes.asofSearches, projectSeconds: Number(projectSeconds.toFixed(1)), asOf: a, withoutAsOf: b };
    return [
      { figure: `asOf search p50 (${plans} plans × ${versions} versions)`, measured: a.p50, unit: 'ms', limit: { value: b.p50, unit: 'ms', what: 'same searches without asOf' }, ratio: a.p50 / b.p50, target: '—', met: null, details },
      { figure: `asOf search p99 (${plans} plans × ${versions} versions)`, measured: a.p99, unit: 'ms', limit: { value: b.p99, unit: 'ms', what: 'same searches without asOf' }, ratio: a.p99 / b.p99, target: '—', met: null, details },
      {
        figure: 'search index bytes per plan (after merge)',
        measured: Math.round(searchStats._all.primaries.store.size_in_bytes / plans),
        unit: 'bytes',
        target: '—',
        met: null,
        details: { plans, docsPerPlan: Number((searchStats._all.primaries.docs.count / plans).toFixed(2)), storeBytes: searchStats._all.primaries.store.size_in_bytes },
      },
      { figure: 'temporal index bytes per event (after merge)', measured: Math.round(bytesPerEvent), unit: 'bytes', target: '—', met: null, details: { ...details, docsPerEvent: Number(docsPerEvent.toFixed(2)), storeBytes: stats._all.primaries.store.size_in_bytes } },
    ];
  } finally {
    await deleteAliasIndices(es, `${alias}-asof`);
    await deleteAliasIndices(es, `${alias}-now`);
    await deleteKeys(redis, prefix);
  }
};
