import { planKey, type PlanHead } from '@planledger/core';
import { activateGeneration, compareSearchDocuments, concreteIndex, createGenerationIndex, ElasticPlanIndex, ensurePlanIndex, PLAN_INDEX_BODY, repairPlanDocuments, withReplicas } from '@planledger/core/elasticsearch';
import { extraPlans } from './extraPlans.js';
import type { Mismatch, Projection } from './Projection.js';

/** How long a repair keeps retrying documents whose delete Elasticsearch still remembers (past `index.gc_deletes`, 60 s by default). */
const REPAIR_WAIT_MS = 75_000;

/** The search index: every plan's documents in Elasticsearch, behind an alias swapped by a rebuild. */
export const searchProjection: Projection = {
  name: 'search',
  // Live writes name the alias, which Elasticsearch resolves as it executes each request, and the
  // switch returns once every node has applied it: from then on no write reaches the old index,
  // and the ones that did were of events already in the log, which the catch-up pass reads. A
  // batch still being assembled in a live projector names the alias too. Nothing to wait for.
  settleMs: 0,
  liveTarget: ({ es, alias }, { bulk } = {}) => new ElasticPlanIndex(es, alias, bulk),
  async ensureLive({ es, alias, replicas }) {
    await ensurePlanIndex(es, alias, withReplicas(PLAN_INDEX_BODY, replicas));
  },
  currentTarget: async ({ es, alias }) => (await concreteIndex(es, alias)) ?? alias,
  async newGeneration({ es, alias, replicas }, stamp) {
    const index = `${alias}-${stamp}`;
    await createGenerationIndex(es, index, PLAN_INDEX_BODY, replicas);
    return {
      // A rebuild writes in bulk: larger requests than the live projector's, which favours latency.
      target: new ElasticPlanIndex(es, index, { maxActions: 4000, maxWaitMs: 20 }),
      name: index,
      activate: () => activateGeneration(es, alias, index, PLAN_INDEX_BODY),
      async dropOld(old) {
        if (old) await es.indices.delete({ index: old, ignore_unavailable: true });
      },
      async drop() {
        await es.indices.delete({ index, ignore_unavailable: true });
      },
    };
  },
  async verify({ es, alias }, live, { signal, onPlan } = {}) {
    const mismatches: Mismatch[] = [];
    await es.indices.refresh({ index: alias });
    for (const head of live) {
      signal?.throwIfAborted();
      const key = planKey(head);
      const found = await es.search<Record<string, unknown>>({ index: alias, routing: key, size: 10_000, version: true, query: { term: { planKey: key } } });
      for (const difference of compareSearchDocuments(head, found.hits.hits)) {
        mismatches.push({ org: head.org, planId: head.planId, kind: difference.kind, expectedVersion: head.version, actualVersion: difference.actualVersion, detail: difference.detail });
      }
      onPlan?.();
    }
    const liveKeys = new Set(live.map((head) => planKey(head)));
    mismatches.push(...(await extraPlans(es, alias, liveKeys, 'documents of a plan that does not exist', signal)));
    return mismatches;
  },
  async repair({ es, alias }, plan, head, log) {
    // A document deleted behind the projector's back cannot be written again at the plan's version
    // until Elasticsearch forgets the delete (index.gc_deletes, 60 s by default): retry until then,
    // with the plan's head as it is at each attempt.
    for (let current = head, deadline = Date.now() + REPAIR_WAIT_MS; ; current = await log.head(plan)) {
      const state: PlanHead = current ?? { ...plan, version: 0, document: null, at: new Date(0).toISOString() };
      const { blocked } = await repairPlanDocuments(es, alias, state);
      if (blocked === 0 || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  },
};

