import type { Client } from '@elastic/elasticsearch';
import type { JsonObject, PlanDocument } from '../../packages/core/src/index.js';
import { aPlan } from '../../packages/core/test/planMother.js';
import { startStack } from '../../packages/api/test/stackProcesses.js';
import type { BenchPart } from '../benchContext.js';
import { BENCH_STACK_ENV, benchApi } from '../benchApi.js';
import { waitCaughtUp } from '../caughtUp.js';

/** The sample plan with `services` linked plan services (fresh objectIds each). */
export function aWidePlan(services: number): PlanDocument {
  const plan = aPlan();
  const [template] = plan.linkedPlanServices as JsonObject[];
  const linkedPlanServices = Array.from({ length: services }, (_, i) => {
    const withId = (object: JsonObject, kind: string): JsonObject => ({ ...object, objectId: `${plan.objectId}-${kind}${i}` });
    const item = template as JsonObject;
    return { ...withId(item, 'lps'), linkedService: withId(item.linkedService as JsonObject, 'svc'), planserviceCostShares: withId(item.planserviceCostShares as JsonObject, 'pscs') };
  });
  return { ...plan, linkedPlanServices };
}

/** Documents the index behind `alias` has written so far: index_total + delete_total (primaries). */
async function documentsWritten(es: Client, alias: string): Promise<number> {
  const stats = (await es.indices.stats({ index: alias, metric: 'indexing' })) as { _all: { primaries: { indexing?: { index_total?: number; delete_total?: number } } } };
  const indexing = stats._all.primaries.indexing ?? {};
  return (indexing.index_total ?? 0) + (indexing.delete_total ?? 0);
}

/**
 * Elasticsearch documents written per one-field PATCH of a plan with many services: the index's
 * index_total + delete_total delta over N sequential PATCHes, each projected before the next, ÷ N.
 */
export const documentsPerPatch: BenchPart = async ({ es, sizes, say }) => {
  const stack = await startStack({ ...BENCH_STACK_ENV });
  try {
    const api = await benchApi(stack);
    const plan = aWidePlan(sizes.services);
    const created = await api.post(plan);
    if (created.status !== 201) throw new Error(`creating the wide plan answered ${created.status}`);
    await waitCaughtUp(stack.baseUrl);
    const alias = stack.env.ES_ALIAS ?? '';
    const before = await documentsWritten(es, alias);
    const patches = Math.max(10, Math.round(sizes.patches / 10));
    say(`Elasticsearch documents per one-field PATCH: ${patches} PATCHes of a plan with ${sizes.services} services`);
    // Each PATCH is projected before the next is sent: counted alone, not folded into a neighbour's
    // write by the projector's coalescing (which would make the figure look better than one change is).
    for (let i = 0; i < patches; i += 1) {
      await api.patchCopay(plan.objectId, 1_000 + i);
      await waitCaughtUp(stack.baseUrl, { pollMs: 10 });
    }
    const perPatch = ((await documentsWritten(es, alias)) - before) / patches;
    return [
      {
        figure: `Elasticsearch documents written per one-field PATCH (${sizes.services} services)`,
        measured: perPatch,
        unit: 'docs',
        target: '1',
        met: perPatch <= 1,
        details: { patches, services: sizes.services },
      },
    ];
  } finally {
    await stack.stop();
  }
};
