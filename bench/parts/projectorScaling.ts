import { readFileSync } from 'node:fs';
import type { Client } from '@elastic/elasticsearch';
import type { RedisClient } from '../../packages/core/src/adapters/redis/index.js';
import { createPlanService, readProjectionLag, readRelayLag, refOfPlan, type WriteContext } from '../../packages/core/src/index.js';
import { createRedisKeys, RedisEventLog, RedisPartitionLog, RedisProjectionState } from '../../packages/core/src/adapters/redis/index.js';
import { PROJECTION_NAMES } from '../../packages/projector/src/projections/index.js';
import { aPlan } from '../../packages/core/test/planMother.js';
import { startStack, type ProcessName } from '../../packages/api/test/stackProcesses.js';
import type { BenchPart } from '../benchContext.js';
import { BENCH_STACK_ENV, inParallel } from '../benchApi.js';
import type { Figure } from '../figureTable.js';
import { cpuDelta, readCpu, type CpuSubject } from '../processCpu.js';
import { writePathSubjects } from '../servicePids.js';

const CONTEXT: WriteContext = { actor: { clientId: 'bench' }, org: 'example.com', crossOrg: false, requestId: 'bench' };
const PARTITIONS = 8;

interface CatchUp {
  readonly instances: number;
  readonly entries: number;
  /** From the first checkpoint that moved to every projection at the end of the log. */
  readonly seconds: number;
  /** From starting the projectors (their start-up and the first hand-over included). */
  readonly secondsFromStart: number;
  /** CPU ms per process over the catch-up, and cores busy on average. */
  readonly cpuMs: Record<string, number>;
  readonly cores: Record<string, number>;
  /** CPU ms every projector instance together spent per log entry (all projections). */
  readonly projectorCpuMsPerEntry: number;
  /** The machine's 1-minute load average when the catch-up ended (other work shares the cores). */
  readonly loadAverage: number;
}

/**
 * Catch-up throughput of the live projectors: a backlog of log entries (plans created and then
 * merge-patched through the plan service, the relay publishing them while no projector runs) is
 * consumed by 1, then, on a fresh stack with the same backlog, by 2 projector instances sharing
 * the partitions. Entries/s count log entries every projection has applied. CPU per process from
 * /proc over the catch-up says where the time goes.
 */
export const projectorScaling: BenchPart = async ({ redis, es, sizes, say }) => {
  const one = await catchUp({ redis, es, instances: 1, plans: sizes.scalingPlans, say });
  const two = await catchUp({ redis, es, instances: 2, plans: sizes.scalingPlans, say });
  const rate = (run: CatchUp) => run.entries / run.seconds;
  return [
    {
      figure: 'projector catch-up, 2 instances ÷ 1',
      measured: Math.round(rate(two)),
      unit: 'entries/s',
      limit: { value: Math.round(rate(one)), unit: 'entries/s', what: '1 projector, same backlog' },
      ratio: rate(two) / rate(one),
      target: '> 100%',
      met: rate(two) > rate(one),
      details: { one, two },
    } satisfies Figure,
  ];
};

async function catchUp({ redis, es, instances, plans, say }: { redis: RedisClient; es: Client; instances: number; plans: number; say: (line: string) => void }): Promise<CatchUp> {
  const names: ProcessName[] = ['projector', ...Array.from({ length: instances - 1 }, (_, i): ProcessName => `projector${i + 2}`)];
  const stack = await startStack({ ...BENCH_STACK_ENV, PARTITIONS: String(PARTITIONS), PARTITION_HEARTBEAT_MS: '500' }, { projectors: instances });
  try {
    for (const name of names) await stack.kill(name, 'SIGTERM');
    const keys = createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: PARTITIONS });
    const service = createPlanService({ log: new RedisEventLog(redis, keys), now: () => new Date() });
    say(`catch-up with ${instances} projector(s): backlog of ${plans} plans × 2 entries`);
    await inParallel(Array.from({ length: plans }, () => aPlan()), 32, async (plan) => {
      await service.create(plan, CONTEXT);
      await service.patch(refOfPlan(plan), 'merge-patch', { planType: 'outOfNetwork' }, { ifMatch: ['"v1"'] }, CONTEXT);
    });
    const log = new RedisPartitionLog(redis, keys);
    const behind = async () => (await Promise.all(PROJECTION_NAMES.map((p) => readProjectionLag(log, (partition) => new RedisProjectionState(redis, keys, p).checkpoint(partition), { cap: 1_000_000 })))).flat().reduce((sum, lag) => sum + lag.entries, 0);
    while ((await readRelayLag(log, { cap: 1_000_000 })).some((lag) => lag.entries > 0)) await new Promise((r) => setTimeout(r, 200));
    const backlog = await behind();
    const entries = backlog / PROJECTION_NAMES.length;
    const shared = (await writePathSubjects({ redis, es, stack })).filter((s) => ['redis', 'rabbitmq', 'elasticsearch'].includes(s.name));
    const startedAt = Date.now();
    for (const name of names) await stack.restart(name);
    const subjects: CpuSubject[] = [...shared, ...names.map((name) => ({ name, pids: stack.processes[name]?.pid ? [stack.processes[name]!.pid!] : [] }))];
    const before = readCpu(subjects);
    let firstProgress: number | null = null;
    for (;;) {
      const left = await behind();
      if (firstProgress === null && left < backlog) firstProgress = Date.now();
      if (left === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const done = Date.now();
    const cpuMs = cpuDelta(before, readCpu(subjects));
    const seconds = (done - (firstProgress ?? startedAt)) / 1000;
    const cores = Object.fromEntries(Object.entries(cpuMs).map(([name, ms]) => [name, Math.round((ms / 1000 / ((done - startedAt) / 1000)) * 100) / 100]));
    const projectorCpuMsPerEntry = Math.round((names.reduce((sum, name) => sum + (cpuMs[name] ?? 0), 0) / entries) * 1000) / 1000;
    const loadAverage = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    say(`  ${entries} entries in ${seconds.toFixed(1)} s (${Math.round(entries / seconds)} entries/s); cores busy: ${JSON.stringify(cores)}; projector CPU ${projectorCpuMsPerEntry} ms/entry; load average ${loadAverage}`);
    return { instances, entries, seconds, secondsFromStart: (done - startedAt) / 1000, cpuMs: Object.fromEntries(Object.entries(cpuMs).map(([n, ms]) => [n, Math.round(ms)])), cores, projectorCpuMsPerEntry, loadAverage };
  } finally {
    await stack.stop();
  }
}
