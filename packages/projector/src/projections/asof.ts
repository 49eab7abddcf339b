import type { Client } from '@elastic/elasticsearch';
import { canonicalJson, INITIAL_PLAN_STATE, planKey, type PlanChange, type PlanRef, type ProjectionTarget } from '@planledger/core';
import { activateGeneration, concreteIndex, createGenerationIndex, ElasticTemporalIndex, ensurePlanIndex, isBulkFailure, TEMPORAL_INDEX_BODY, temporalAlias, temporalSteps, temporalWrites, withReplicas, type TemporalWrites } from '@planledger/core/elasticsearch';
import { RedisEventLog, RedisTemporalState } from '@planledger/core/redis';
import { extraPlans } from './extraPlans.js';
import type { LiveTargetOptions, Mismatch, Projection, ProjectionResources } from './Projection.js';

/** How long a live writer keeps writing to the index it last resolved the alias to. */
const RESOLVE_EVERY_MS = 1_000;
/** How long a repair keeps retrying documents whose delete Elasticsearch still remembers (past `index.gc_deletes`, 60 s by default). */
const REPAIR_WAIT_MS = 75_000;

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
  async ensureLive(resources) {
    await ensureTemporalIndex(resources);
  },
  currentTarget: async ({ es, alias }) => (await concreteIndex(es, temporalAlias(alias))) ?? temporalAlias(alias),
  async newGeneration(resources, stamp) {
    const { es, alias, redis, keys, replicas } = resources;
    const index = `${temporalAlias(alias)}-${stamp}`;
    await createGenerationIndex(es, index, TEMPORAL_INDEX_BODY, replicas);
    const drop = async (name: string) => {
      await es.indices.delete({ index: name, ignore_unavailable: true });
      await RedisTemporalState.drop(redis, keys, name);
    };
    return {
      target: temporalTarget(resources, index, { maxActions: 4000, maxWaitMs: 20 }),
      name: index,
      activate: () => activateGeneration(es, temporalAlias(alias), index, TEMPORAL_INDEX_BODY),
      async dropOld(old) {
        if (old) await drop(old);
      },
      drop: () => drop(index),
    };
  },
  async verify({ es, alias, redis, keys }, heads, { signal, onPlan } = {}) {
    const log = new RedisEventLog(redis, keys);
    const index = await concreteIndex(es, temporalAlias(alias));
    if (index === null) return heads.map((head) => mismatch(head, 'missing', null, `${planKey(head)}: there is no temporal index`));
    const state = new RedisTemporalState(redis, keys, index);
    const mismatches: Mismatch[] = [];
    await es.indices.refresh({ index });
    for (const head of heads) {
      signal?.throwIfAborted();
      const key = planKey(head);
      const expected = new Map(historyWrites(await log.events(head)).writes.map((write) => [write.id, write]));
      const held = (await state.get(head)).version;
      for (const hit of await documentsOf(es, index, key)) {
        const write = expected.get(hit._id);
        expected.delete(hit._id);
        if (!write) mismatches.push(mismatch(head, 'extra', held, `${key}: extra temporal document ${hit._id}`));
        else if (canonicalJson(hit._source) !== canonicalJson(write.source)) mismatches.push(mismatch(head, 'differentContent', held, `${key}: temporal document ${hit._id} differs`));
        else if (hit._version !== write.version) mismatches.push(mismatch(head, 'staleVersion', held, `${key}: temporal document ${hit._id} at version ${hit._version ?? 'none'}, expected ${write.version}`));
      }
      for (const id of expected.keys()) mismatches.push(mismatch(head, 'missing', held, `${key}: missing temporal document ${id}`));
      onPlan?.();
    }
    const known = new Set(heads.map((head) => planKey(head)));
    mismatches.push(...(await extraPlans(es, index, known, 'temporal documents of a plan that never existed', signal)));
    return mismatches;
  },
  async repair(resources, plan, head, log) {
    const { es, redis, keys } = resources;
    const index = await ensureTemporalIndex(resources);
    // A document deleted behind the projector's back cannot be written again at its version until
    // Elasticsearch forgets the delete (index.gc_deletes): retry until then, from the log as it is.
    for (let deadline = Date.now() + REPAIR_WAIT_MS; ; ) {
      const events = head === null ? [] : await log.events(plan);
      const history = historyWrites(events);
      const blocked = await rewritePlan(es, index, planKey(plan), history);
      const last = events.at(-1);
      await new RedisTemporalState(redis, keys, index).reset(plan, { version: last?.version ?? 0, at: last ? Date.parse(last.at) : 0, open: history.open });
      if (blocked === 0 || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      head = await log.head(plan);
    }
  },
};

/** The index behind `<alias>-asof`, created (with the configured replicas) when missing. */
const ensureTemporalIndex = ({ es, alias, replicas }: ProjectionResources): Promise<string> => ensurePlanIndex(es, temporalAlias(alias), withReplicas(TEMPORAL_INDEX_BODY, replicas));

const mismatch = (plan: PlanRef & { version: number }, kind: Mismatch['kind'], actualVersion: number | null, detail: string): Mismatch => ({ org: plan.org, planId: plan.planId, kind, expectedVersion: plan.version, actualVersion, detail });

/** What the temporal index must hold for a plan with these events: its whole history, from nothing. */
function historyWrites(events: Parameters<typeof temporalSteps>[1]): TemporalWrites {
  return temporalWrites({ document: null, open: new Map() }, temporalSteps(INITIAL_PLAN_STATE, events));
}

/** Makes the index hold exactly `history` for the plan; returns how many writes a remembered delete still blocks. */
async function rewritePlan(es: Client, index: string, key: string, history: TemporalWrites): Promise<number> {
  const expected = new Map(history.writes.map((write) => [write.id, write]));
  const operations: object[] = [];
  for (const hit of await documentsOf(es, index, key)) {
    const write = expected.get(hit._id);
    if (write && canonicalJson(hit._source) === canonicalJson(write.source) && hit._version === write.version) expected.delete(hit._id);
    else if (!write) operations.push({ delete: { _index: index, _id: hit._id, routing: key, version: Math.max(1, hit._version ?? 1), version_type: 'external_gte' } });
  }
  for (const write of expected.values()) operations.push({ index: { _index: index, _id: write.id, routing: write.routing, version: write.version, version_type: 'external_gte' } }, write.source);
  if (operations.length === 0) return 0;
  const response = (await es.bulk({ operations, refresh: false } as never)) as { items: Record<string, { status: number; result?: string; error?: unknown }>[] };
  const items = response.items.map((item) => Object.values(item)[0]!);
  const failed = items.filter(isBulkFailure);
  if (failed.length > 0) throw new Error(`Elasticsearch refused ${failed.length} temporal repair write(s) of ${key}: ${JSON.stringify(failed[0]?.error)}`);
  return items.filter((item) => item.status === 409).length;
}

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
      const index = ensureTemporalIndex(resources);
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

