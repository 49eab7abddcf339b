import type { Client } from '@elastic/elasticsearch';
import type { JsonObject, PlanDocument } from '../../packages/core/src/index.js';
import type { RedisClient } from '../../packages/core/src/adapters/redis/index.js';
import { aPlan } from '../../packages/core/test/planMother.js';
import { startStack } from '../../packages/api/test/stackProcesses.js';
import type { BenchPart } from '../benchContext.js';
import { BENCH_STACK_ENV, benchApi } from '../benchApi.js';
import type { Figure } from '../figureTable.js';
import { waitCaughtUp } from '../caughtUp.js';
import { readCpu } from '../processCpu.js';
import { writePathSubjects } from '../servicePids.js';

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

/** The log Redis's AOF size and how many times it was rewritten so far (INFO persistence). */
async function aofOf(redis: RedisClient): Promise<{ size: number; rewrites: number }> {
  const info = await redis.info('persistence');
  const field = (name: string) => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1] ?? Number.NaN);
  return { size: field('aof_current_size'), rewrites: field('aof_rewrites') };
}

/**
 * Elasticsearch documents written per one-field PATCH of a plan with many services: the index's
 * index_total + delete_total delta over N sequential PATCHes, each projected before the next, ÷ N.
 * Beside it, what such a PATCH costs the api, Redis (CPU from /proc; bytes appended to its AOF by
 * everything that writes there: the api's appends, the projectors' states and the read model) and
 * the projector on the wide plan and on the sample plan, in the same run: a cost that follows the change is the same for both.
 * The api's figure is taken over PATCHes sent one after another, not waited on (the wait polls
 * the api); the projector's over PATCHes each projected before the next (none folded together),
 * less what it spends idle over as long. Both plans are warmed up with the same PATCHes first.
 */
export const documentsPerPatch: BenchPart = async ({ es, redis, sizes, say }) => {
  const stack = await startStack({ ...BENCH_STACK_ENV });
  try {
    const api = await benchApi(stack);
    const subjects = await writePathSubjects({ redis, es, stack });
    const cpuOf = (name: string) => readCpu(subjects.filter((subject) => subject.name === name))[name] ?? 0;
    const alias = stack.env.ES_ALIAS ?? '';
    const patches = Math.max(10, Math.round(sizes.patches / 10));
    const apiPatches = sizes.patches;
    const created = async (plan: PlanDocument) => {
      const answer = await api.post(plan);
      if (answer.status !== 201) throw new Error(`creating the plan answered ${answer.status}`);
      // Warm: JIT compilation, and the first changes of a plan enter its parts into both processes' caches.
      for (let i = 0; i < 200; i += 1) await api.patchCopay(plan.objectId, 500 + i);
      return plan;
    };
    /** The projector's CPU per ms while nothing is written (heartbeats, metrics): taken out of its figures. */
    const projectorIdlePerMs = async () => {
      await waitCaughtUp(stack.baseUrl);
      const [from, at] = [cpuOf('projector'), Date.now()];
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      return (cpuOf('projector') - from) / (Date.now() - at);
    };
    const measure = async (plan: PlanDocument, idlePerMs: number) => {
      const [apiFrom, redisFrom, aofFrom] = [cpuOf('api'), cpuOf('redis'), await aofOf(redis)];
      for (let i = 0; i < apiPatches; i += 1) await api.patchCopay(plan.objectId, 2_000 + i);
      const [apiMs, redisMs] = [(cpuOf('api') - apiFrom) / apiPatches, (cpuOf('redis') - redisFrom) / apiPatches];
      const aofTo = await aofOf(redis);
      // An AOF rewrite during the run leaves no delta to count: reported as not measured.
      const aofBytes = aofTo.rewrites === aofFrom.rewrites ? (aofTo.size - aofFrom.size) / apiPatches : Number.NaN;
      await waitCaughtUp(stack.baseUrl);
      const [documentsFrom, projectorFrom, from] = [await documentsWritten(es, alias), cpuOf('projector'), Date.now()];
      // Each PATCH is projected before the next is sent: counted alone, not folded into a neighbour's
      // write by the projector's coalescing (which would make the figure look better than one change is).
      for (let i = 0; i < patches; i += 1) {
        await api.patchCopay(plan.objectId, 1_000 + i);
        await waitCaughtUp(stack.baseUrl, { pollMs: 10 });
      }
      const projectorMs = (cpuOf('projector') - projectorFrom - idlePerMs * (Date.now() - from)) / patches;
      return { documents: ((await documentsWritten(es, alias)) - documentsFrom) / patches, apiMs, redisMs, aofBytes, projectorMs };
    };
    say(`one-field PATCHes of a plan with ${sizes.services} services and of the sample plan: ${apiPatches} for the api's CPU, ${patches} each projected alone for documents written and the projector's CPU (less its idle)`);
    const [widePlan, samplePlan] = [await created(aWidePlan(sizes.services)), await created(aPlan())];
    const idlePerMs = await projectorIdlePerMs();
    const wide = await measure(widePlan, idlePerMs);
    const sample = await measure(samplePlan, idlePerMs);
    const round = (ms: number) => Math.round(ms * 1000) / 1000;
    const rounded = (figures: typeof wide) => ({ ...figures, apiMs: round(figures.apiMs), redisMs: round(figures.redisMs), aofBytes: Math.round(figures.aofBytes), projectorMs: round(figures.projectorMs) });
    const details = { patches, services: sizes.services, wide: rounded(wide), sample: rounded(sample) };
    const costFigure = (figure: string, key: 'apiMs' | 'redisMs' | 'projectorMs' | 'aofBytes', unit = 'ms'): Figure => {
      const named = `${figure} per one-field PATCH, ${sizes.services} services`;
      if (!Number.isFinite(details.wide[key]) || !Number.isFinite(details.sample[key])) return { figure: named, measured: null, unit, target: '—', met: null, error: 'the AOF was rewritten during the run', details };
      return {
        figure: named,
        measured: details.wide[key],
        unit,
        limit: { value: details.sample[key], unit, what: `the same PATCH of the ${(aPlan().linkedPlanServices as JsonObject[]).length}-service sample plan` },
        ratio: wide[key] / sample[key],
        target: '—',
        met: null,
        details,
      };
    };
    return [
      {
        figure: `Elasticsearch documents written per one-field PATCH (${sizes.services} services)`,
        measured: wide.documents,
        unit: 'docs',
        target: '1',
        met: wide.documents <= 1,
        details,
      },
      costFigure('api CPU', 'apiMs'),
      costFigure('Redis CPU', 'redisMs'),
      costFigure('Redis AOF bytes', 'aofBytes', 'bytes'),
      costFigure('projector CPU', 'projectorMs'),
    ];
  } finally {
    await stack.stop();
  }
};
