import type { Client } from '@elastic/elasticsearch';
import { canonicalJson, INITIAL_PLAN_STATE, planKey, type PlanChange, type ProjectionTarget } from '@planledger/core';
import { concreteIndex, ElasticTemporalIndex, ensurePlanIndex, TEMPORAL_INDEX_BODY, temporalAlias, temporalSteps, temporalWrites } from '@planledger/core/elasticsearch';
import { RedisEventLog, RedisTemporalState } from '@planledger/core/redis';
import type { LiveTargetOptions, Projection, ProjectionResources } from './Projection.js';

/** How long a live writer keeps writing to the index it last resolved the alias to. */
const RESOLVE_EVERY_MS = 1_000;

/**
 * The temporal index: every version of every plan's objects with the interval it held, so a
 * search can be answered as of any moment (`asOf`). Its own index behind `<alias>-asof`, switched
 * by a rebuild like the search index. Each index keeps, in Redis, what it holds per plan (see
 * RedisTemporalState), so live writes name the concrete index and resolve the alias at most once
 * a second.
 */
export const asofProjection: Projection = {
  name: 'asof',
  settleMs: RESOLVE_EVERY_MS + 500,
  keepsDeletedPlans: true,
  liveTarget(resources, options) {
    return liveTemporalTarget(resources, options);
  },
  async newGeneration(resources, stamp) {
    const { es, alias } = resources;
    const index = `${temporalAlias(alias)}-${stamp}`;
    await es.indices.create({ index, ...TEMPORAL_INDEX_BODY } as never);
    await es.cluster.health({ index, wait_for_status: 'yellow', timeout: '30s' });
    return {
      target: temporalTarget(resources, index, { maxActions: 4000, maxWaitMs: 20 }),
      name: index,
      async activate() {
        const old = await concreteIndex(es, temporalAlias(alias));
        const actions: object[] = [{ add: { index, alias: temporalAlias(alias), is_write_index: true } }];
        if (old) actions.unshift({ remove: { index: old, alias: temporalAlias(alias) } });
        await es.indices.updateAliases({ actions } as never);
        return old;
      },
      async dropOld(old) {
        if (!old) return;
        await es.indices.delete({ index: old, ignore_unavailable: true });
        await RedisTemporalState.drop(resources.redis, resources.keys, old);
      },
    };
  },
  async verify({ es, alias, redis, keys }, heads) {
    const log = new RedisEventLog(redis, keys);
    const index = temporalAlias(alias);
    const mismatches: string[] = [];
    await es.indices.refresh({ index });
    for (const head of heads) {
      const key = planKey(head);
      const steps = temporalSteps(INITIAL_PLAN_STATE, await log.events(head));
      const expected = new Map(temporalWrites({ document: null, open: new Map() }, steps).writes.map((write) => [write.id, write]));
      for (const hit of await documentsOf(es, index, key)) {
        const write = expected.get(hit._id);
        if (!write) mismatches.push(`${key}: extra temporal document ${hit._id}`);
        else if (canonicalJson(hit._source) !== canonicalJson(write.source)) mismatches.push(`${key}: temporal document ${hit._id} differs`);
        else if (hit._version !== write.version) mismatches.push(`${key}: temporal document ${hit._id} at version ${hit._version ?? 'none'}, expected ${write.version}`);
        expected.delete(hit._id);
      }
      for (const id of expected.keys()) mismatches.push(`${key}: missing temporal document ${id}`);
    }
    const known = new Set(heads.map((head) => planKey(head)));
    for (let after: Record<string, string> | undefined; ; ) {
      const page = await es.search({ index, size: 0, aggs: { plans: { composite: { size: 1000, sources: [{ planKey: { terms: { field: 'planKey' } } }], ...(after ? { after } : {}) } } } });
      const agg = page.aggregations?.plans as { buckets: { key: { planKey: string } }[]; after_key?: Record<string, string> } | undefined;
      for (const bucket of agg?.buckets ?? []) if (!known.has(bucket.key.planKey)) mismatches.push(`${bucket.key.planKey}: temporal documents of a plan that never existed`);
      if (!agg?.after_key || agg.buckets.length === 0) break;
      after = agg.after_key;
    }
    return mismatches;
  },
};

async function documentsOf(es: Client, index: string, key: string): Promise<{ _id: string; _version?: number; _source?: unknown }[]> {
  const found: { _id: string; _version?: number; _source?: unknown }[] = [];
  for (let after: unknown[] | undefined; ; ) {
    const page = await es.search({ index, routing: key, size: 5000, version: true, query: { term: { planKey: key } }, sort: [{ _id: 'asc' }] as never, ...(after ? { search_after: after } : {}) } as never);
    const hits = (page as { hits: { hits: { _id: string; _version?: number; _source?: unknown; sort?: unknown[] }[] } }).hits.hits;
    found.push(...hits);
    if (hits.length < 5000) return found;
    after = hits.at(-1)?.sort;
  }
}

function temporalTarget({ es, redis, keys }: ProjectionResources, index: string, bulk: LiveTargetOptions['bulk'] = {}): ElasticTemporalIndex {
  return new ElasticTemporalIndex(es, index, new RedisTemporalState(redis, keys, index), new RedisEventLog(redis, keys), bulk);
}

/** The live target: writes to the index the alias names, resolved at most once a second (and created when missing). */
function liveTemporalTarget(resources: ProjectionResources, { bulk }: LiveTargetOptions = {}): ProjectionTarget {
  const targets = new Map<string, ElasticTemporalIndex>();
  let resolved: { index: Promise<string>; at: number } | null = null;
  const current = (): Promise<string> => {
    if (resolved === null || Date.now() - resolved.at > RESOLVE_EVERY_MS) {
      const index = ensurePlanIndex(resources.es, temporalAlias(resources.alias), TEMPORAL_INDEX_BODY);
      resolved = { index, at: Date.now() };
      index.catch(() => (resolved = null));
    }
    return resolved.index;
  };
  return {
    name: 'asof',
    async apply(change: PlanChange) {
      const index = await current();
      let target = targets.get(index);
      if (!target) targets.set(index, (target = temporalTarget(resources, index, bulk)));
      await target.apply(change);
    },
  };
}
