import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Client } from '@elastic/elasticsearch';
import { createPlanService, refOfPlan, type PlanDocument, type PlanService, type WriteContext } from '../../packages/core/src/index.js';
import { createRedisKeys, RedisEventLog } from '../../packages/core/src/adapters/redis/index.js';
import { createGenerationIndex, PLAN_INDEX_BODY, planSearchDocuments } from '../../packages/core/src/adapters/elasticsearch/index.js';
import { aPlan } from '../../packages/core/test/planMother.js';
import { startStack, type Stack, connectStackRedis } from '../../packages/api/test/stackProcesses.js';
import type { BenchPart } from '../benchContext.js';
import { BENCH_STACK_ENV, benchApi, inParallel } from '../benchApi.js';
import type { Figure } from '../figureTable.js';
import { loadRun } from '../loadRun.js';
import { cpuDelta, cpuMsOf, readCpu, type CpuSubject } from '../processCpu.js';
import { writePathSubjects } from '../servicePids.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONTEXT: WriteContext = { actor: { clientId: 'bench' }, org: 'example.com', crossOrg: false, requestId: 'bench' };
const BULK_DOCUMENTS = 5_000;
const WARM_UP_SECONDS = 3;

interface BuiltLog {
  readonly events: number;
  readonly finals: Map<string, { document: PlanDocument; version: number }>;
  readonly deep: { planId: string; first: number; last: number };
}

/**
 * Time travel on a plan with many versions, and a full search rebuild (`npm run replay --
 * --projection search`) beside a raw `_bulk` of the same final documents, on one log: many plans
 * of 3 versions plus one deep plan, appended straight through the plan service.
 */
export const historyAndRebuild: BenchPart = async ({ es, sizes, say }) => {
  const stack = await startStack({ ...BENCH_STACK_ENV });
  const redis = connectStackRedis(stack.env);
  try {
    await stack.kill('relay', 'SIGTERM');
    await stack.kill('projector', 'SIGTERM');
    const keys = createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: Number(stack.env.PARTITIONS) });
    const plans = createPlanService({ log: new RedisEventLog(redis, keys), now: () => new Date() });
    say(`history log: ${sizes.rebuildPlans} plans of 3 versions, one plan of ${sizes.deepVersions} versions`);
    const built = await buildLog(plans, sizes.rebuildPlans, sizes.deepVersions);
    const figures = await timeTravel(stack, built, sizes, say);
    const services = (await writePathSubjects({ redis, es, stack })).filter((subject) => subject.name === 'redis' || subject.name === 'elasticsearch');
    figures.push(await rebuild(stack, es, built, services, say));
    return figures;
  } finally {
    redis.disconnect();
    await stack.stop();
  }
};

async function buildLog(plans: PlanService, count: number, deepVersions: number): Promise<BuiltLog> {
  const finals = new Map<string, { document: PlanDocument; version: number }>();
  const keep = (result: { planId: string; document: PlanDocument | null; version: number }) => result.document && finals.set(result.planId, { document: result.document, version: result.version });
  const ids = Array.from({ length: count }, () => aPlan());
  const deepPlan = aPlan();
  const deep = (async () => {
    keep(await plans.create(deepPlan, CONTEXT));
    const first = Date.now();
    for (let version = 2; version <= deepVersions; version += 1) {
      keep(await plans.patch(refOfPlan(deepPlan), 'json-patch', [{ op: 'replace', path: '/planCostShares/copay', value: version }], {}, CONTEXT));
    }
    return { planId: deepPlan.objectId, first, last: Date.now() };
  })();
  await inParallel(ids, 32, async (plan) => {
    keep(await plans.create(plan, CONTEXT));
    keep(await plans.patch(refOfPlan(plan), 'merge-patch', { planType: 'outOfNetwork' }, {}, CONTEXT));
    keep(await plans.patch(refOfPlan(plan), 'json-patch', [{ op: 'replace', path: '/planCostShares/deductible', value: 1500 }], {}, CONTEXT));
  });
  return { events: count * 3 + deepVersions, finals, deep: await deep };
}

async function timeTravel(stack: Stack, built: BuiltLog, sizes: { seconds: number; timeTravelConnections: number; deepVersions: number }, say: (line: string) => void): Promise<Figure[]> {
  const api = await benchApi(stack);
  const connections = sizes.timeTravelConnections;
  const path = `/v1/plans/${built.deep.planId}`;
  say(`time travel on a plan of ${sizes.deepVersions} versions: ${connections} connections, ${sizes.seconds} s each`);
  const random = (n: number) => 1 + Math.floor(Math.random() * n);
  const span = Math.max(1, built.deep.last - built.deep.first);
  const byVersionLoad = { setupRequest: (request: { path?: string }) => ({ ...request, path: `${path}?version=${random(sizes.deepVersions)}` }) };
  const byTimeLoad = { setupRequest: (request: { path?: string }) => ({ ...request, path: `${path}?asOf=${encodeURIComponent(new Date(built.deep.first + random(span)).toISOString())}` }) };
  const timed = (load: typeof byVersionLoad, duration: number) => loadRun({ url: stack.baseUrl, connections, duration, headers: { authorization: api.auditor }, requests: [load] });
  // Warm processes, as in the CPU runs: whichever load came first paid for the api's JIT compilation.
  say(`warm-up: ${WARM_UP_SECONDS} s of each, not measured`);
  for (const load of [byVersionLoad, byTimeLoad]) await timed(load, WARM_UP_SECONDS);
  const byVersion = await timed(byVersionLoad, sizes.seconds);
  const byTime = await timed(byTimeLoad, sizes.seconds);
  const figure = (name: string, run: typeof byVersion): Figure => ({ figure: `time travel ${name} p99, ${sizes.deepVersions} versions, ${connections} conn`, measured: run.p99, unit: 'ms', target: '≤ 10 ms', met: run.non2xx === 0 && run.p99 <= 10, details: { ...run } });
  return [figure('?version=N', byVersion), figure('?asOf=', byTime)];
}

async function rebuild(stack: Stack, es: Client, built: BuiltLog, services: CpuSubject[], say: (line: string) => void): Promise<Figure> {
  say(`full search rebuild of ${built.events} events (npm run replay -- --projection search)`);
  const cpuBefore = readCpu(services);
  const started = Date.now();
  // The command `npm run replay` runs (its node flags included), without npm's own start-up.
  const [, ...replayArgs] = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts.replay!.split(' ');
  const child = spawn(process.execPath, [...replayArgs, '--projection', 'search'], { cwd: ROOT, env: stack.env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Its CPU time as last read: /proc forgets a process once it has exited.
  let replayCpuMs = 0;
  const sampler = setInterval(() => (replayCpuMs = Math.max(replayCpuMs, cpuMsOf(child.pid ?? 0))), 20);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  const replayCpu = { ...cpuDelta(cpuBefore, readCpu(services)), replay: replayCpuMs };
  if (code !== 0) throw new Error(`replay exited ${code}: ${output.slice(-2000)}`);
  const rate = built.events / seconds;

  const documents = [...built.finals.values()].flatMap(({ document, version }) => planSearchDocuments(document).map((d) => ({ ...d, version })));
  say(`raw _bulk of the same ${documents.length} final documents into an index with the same settings`);
  const bulkCpuBefore = readCpu(services);
  const bulkSeconds = await rawBulkSeconds(es, stack.env.ES_URL ?? '', `${stack.env.ES_ALIAS}-rawbulk`, documents);
  const bulkCpu = cpuDelta(bulkCpuBefore, readCpu(services));
  const limit = built.events / bulkSeconds;
  const ratio = rate / limit;
  return {
    figure: `full search rebuild (${built.events} events, ${built.finals.size} plans)`,
    measured: Math.round(rate),
    unit: 'events/s',
    limit: { value: Math.round(limit), unit: 'events/s', what: `raw _bulk of ${documents.length} final docs in ${bulkSeconds.toFixed(1)} s` },
    ratio,
    target: '≥ 10,000 events/s and ≥ 50%',
    met: rate >= 10_000 && ratio >= 0.5,
    // CPU ms of each process over the rebuild (the replay process's own as last sampled) and over the raw _bulk (index creation and deletion included).
    details: { seconds, bulkSeconds, documents: documents.length, cpuMs: { rebuild: replayCpu, rawBulk: bulkCpu }, replayOutput: output.trim().split('\n').slice(-3) },
  };
}

/** Seconds the `_bulk` requests take (bodies built before the clock starts, into an index loading as a generation does), two in flight. */
async function rawBulkSeconds(es: Client, url: string, index: string, documents: { id: string; routing: string; source: object; version: number }[]): Promise<number> {
  // The settings a rebuild's generation loads with.
  await createGenerationIndex(es, index, PLAN_INDEX_BODY);
  const bodies: string[] = [];
  for (let i = 0; i < documents.length; i += BULK_DOCUMENTS) {
    const lines = documents.slice(i, i + BULK_DOCUMENTS).flatMap((d) => [JSON.stringify({ index: { _index: index, _id: d.id, routing: d.routing, version: d.version, version_type: 'external' } }), JSON.stringify(d.source)]);
    bodies.push(`${lines.join('\n')}\n`);
  }
  const started = Date.now();
  await inParallel(bodies, 2, async (body) => {
    const response = await fetch(`${url.replace(/\/$/, '')}/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    const result = (await response.json()) as { errors?: boolean };
    if (!response.ok || result.errors) throw new Error(`raw _bulk failed: ${response.status}`);
  });
  const seconds = (Date.now() - started) / 1000;
  await es.indices.delete({ index, ignore_unavailable: true });
  return seconds;
}
