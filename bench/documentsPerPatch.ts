/**
 * Elasticsearch documents written per one-field PATCH of a copay on a plan with N planservices
 * (3N + 2 documents): creates the plan in a fresh alias through the search projection's target,
 * applies the PATCH, and counts the bulk actions sent. For the bench table (target: 1). Run alone
 * with `npx tsx bench/documentsPerPatch.ts [services]`.
 */
import { fileURLToPath } from 'node:url';
import type { Client } from '@elastic/elasticsearch';
import { EVENT_SCHEMA_VERSION, evolvePlan, INITIAL_PLAN_STATE, type PlanDocument, type PlanEvent } from '../packages/core/src/index.js';
import { ElasticPlanIndex, ensurePlanIndex } from '../packages/core/src/adapters/elasticsearch/index.js';
import { aPlan } from '../packages/core/test/planMother.js';
import { connectTestElastic, deleteAliasIndices } from '../packages/core/test/elasticTestContext.js';

export interface DocumentsPerPatch {
  /** Documents of the plan (3 × services + 2). */
  readonly documents: number;
  /** Bulk actions the create sent. */
  readonly created: number;
  /** Bulk actions the one-field PATCH sent. */
  readonly patched: number;
}

export async function documentsWrittenPerPatch({ client, services = 100 }: { client: Client; services?: number }): Promise<DocumentsPerPatch> {
  const alias = `plans-bench-docs-${Date.now().toString(36)}`;
  await ensurePlanIndex(client, alias);
  try {
    let actions = 0;
    const index = new ElasticPlanIndex(client, alias, { onFlush: (count) => (actions += count) });
    const sample = aPlan();
    const [template] = sample.linkedPlanServices as Record<string, Record<string, unknown>>[];
    const plan = {
      ...sample,
      linkedPlanServices: Array.from({ length: services }, (_, i) => ({
        ...template,
        objectId: `${sample.objectId}-lps-${i}`,
        linkedService: { ...template!.linkedService, objectId: `${sample.objectId}-svc-${i}` },
        planserviceCostShares: { ...template!.planserviceCostShares, objectId: `${sample.objectId}-pscs-${i}` },
      })),
    } as PlanDocument;
    const created: PlanEvent = { planId: plan.objectId, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: plan }], actor: 'bench', org: plan._org, at: new Date().toISOString(), requestId: 'bench', schemaVersion: EVENT_SCHEMA_VERSION };
    const afterCreate = evolvePlan(INITIAL_PLAN_STATE, created);
    await index.apply({ event: created, before: INITIAL_PLAN_STATE, after: afterCreate });
    const createdActions = actions;
    actions = 0;
    const patch: PlanEvent = { ...created, version: 2, type: 'patched', patch: [{ op: 'replace', path: `/linkedPlanServices/${Math.floor(services / 2)}/planserviceCostShares/copay`, value: 42 }] };
    await index.apply({ event: patch, before: afterCreate, after: evolvePlan(afterCreate, patch) });
    return { documents: 3 * services + 2, created: createdActions, patched: actions };
  } finally {
    await deleteAliasIndices(client, alias);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const client = connectTestElastic();
  const services = Number(process.argv[2] ?? 100);
  const figures = await documentsWrittenPerPatch({ client, services });
  process.stdout.write(`documents written per one-field PATCH, plan with ${services} services (${figures.documents} documents): ${figures.patched} (create: ${figures.created})\n`);
  await client.close();
}
