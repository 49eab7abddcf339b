import { aPlan } from '../../packages/core/test/planMother.js';
import { startStack } from '../../packages/api/test/stackProcesses.js';
import type { BenchPart } from '../benchContext.js';
import { BENCH_STACK_ENV, benchApi, copayPatchLoad, inParallel, postLoad } from '../benchApi.js';
import { waitCaughtUp } from '../caughtUp.js';
import type { Figure } from '../figureTable.js';
import { loadRun } from '../loadRun.js';
import { cpuDelta, readCpu } from '../processCpu.js';
import { writePathSubjects } from '../servicePids.js';

const SEED_PLANS = 1_000;
const IDLE_MS = 3_000;
const WARM_UP_SECONDS = 8;
const round = (ms: number) => Math.round(ms * 1000) / 1000;

/**
 * End-to-end CPU per write, every process summed (Redis, RabbitMQ, Elasticsearch, api, relay,
 * projector), from /proc utime+stime deltas over a steady run at a fixed offered rate plus the
 * wait until every projection has caught up, divided by the acknowledged writes; after a warm-up
 * of the same loads, so the processes measured are past their JIT compilation.
 */
export const cpuPerWrite: BenchPart = async ({ redis, es, sizes, say }) => {
  const stack = await startStack({ ...BENCH_STACK_ENV });
  try {
    const api = await benchApi(stack);
    const seed = Array.from({ length: SEED_PLANS }, () => aPlan());
    await inParallel(seed, 16, (plan) => api.post(plan));
    await waitCaughtUp(stack.baseUrl);
    const subjects = await writePathSubjects({ redis, es, stack });
    const { connections, seconds: duration, cpuRate } = sizes;
    const measure = async (kind: string, target: number, options: Parameters<typeof loadRun>[0]): Promise<Figure> => {
      say(`CPU per ${kind}: ${cpuRate}/s offered on ${connections} connections for ${duration} s, then until projections catch up`);
      // The services are shared: what they spend while this stack is idle, per second, is reported beside.
      const idleFrom = readCpu(subjects);
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      const before = readCpu(subjects);
      const idlePerSecond = Object.fromEntries(Object.entries(cpuDelta(idleFrom, before)).map(([name, ms]) => [name, (ms * 1000) / IDLE_MS]));
      const started = Date.now();
      const run = await loadRun({ connections, duration, overallRate: cpuRate, ...options });
      const catchUpSeconds = await waitCaughtUp(stack.baseUrl, { pollMs: 250 });
      const spent = cpuDelta(before, readCpu(subjects));
      const total = Object.values(spent).reduce((a, b) => a + b, 0);
      const perWrite = total / Math.max(run.ok, 1);
      const windowSeconds = (Date.now() - started) / 1000;
      const idle = Object.values(idlePerSecond).reduce((a, b) => a + b, 0) * windowSeconds;
      return {
        figure: `end-to-end CPU per ${kind}, all processes`,
        measured: round(perWrite),
        unit: 'ms',
        target: `≤ ${target} ms`,
        met: perWrite <= target,
        details: {
          acknowledged: run.ok,
          offeredRate: cpuRate,
          windowSeconds,
          msPerWriteLessIdle: round((total - idle) / Math.max(run.ok, 1)),
          idleMsPerSecondByProcess: Object.fromEntries(Object.entries(idlePerSecond).map(([name, ms]) => [name, Math.round(ms)])),
          catchUpSeconds,
          msPerWriteByProcess: Object.fromEntries(Object.entries(spent).map(([name, ms]) => [name, round(ms / Math.max(run.ok, 1))])),
          run,
        },
      };
    };
    // A steady run is one with warm processes: Elasticsearch, the api and the projector all JIT-compile
    // their hot paths during their first seconds of load, which would otherwise count against whichever
    // figure comes first. So the same loads run once, unmeasured, before the measured runs.
    say(`warm-up: ${WARM_UP_SECONDS} s of each load at ${cpuRate}/s, not measured`);
    for (const load of [postLoad(api), copayPatchLoad(api, seed)]) await loadRun({ connections, duration: WARM_UP_SECONDS, overallRate: cpuRate, ...load });
    await waitCaughtUp(stack.baseUrl, { pollMs: 250 });
    const post = await measure('POST', 2.0, postLoad(api));
    const patch = await measure('one-field PATCH', 0.8, copayPatchLoad(api, seed));
    return [post, patch];
  } finally {
    await stack.stop();
  }
};
