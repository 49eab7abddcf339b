import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectStackElastic, connectStackRedis } from '../../stackProcesses.js';
import type { FaultRow } from '../faultRow.js';
import { judgeMemory, memorySubjects } from '../processMemory.js';

const CAPACITY_MS = 20_000;
const SAMPLES = 60;
/** Where the soak leaves every memory sample, per process, for a closer look. */
const SAMPLES_OUT = fileURLToPath(new URL('../../../../../.data/test-output/', import.meta.url));
const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/**
 * The capacity measured first (writers as fast as answers come, 20 s), then a soak at half of it
 * with every process's memory sampled; memory must be flat after warm-up (see judgeMemory).
 */
export const soak: FaultRow = {
  id: 12,
  name: 'a soak at half the measured capacity, memory flat after warm-up',
  async run(ctx) {
    const probe = ctx.load({ workers: 8 });
    await new Promise((resolve) => setTimeout(resolve, CAPACITY_MS));
    const capacity = (probe.acknowledged() * 1000) / CAPACITY_MS;
    const warmUp = await probe.stop();
    const redis = connectStackRedis(ctx.stack.env);
    const es = connectStackElastic(ctx.stack.env);
    const subjects = await memorySubjects({ stack: ctx.stack, redis, es });
    const samples = new Map(subjects.map((subject) => [subject.name, [] as (number | null)[]]));
    const started = Date.now();
    const load = ctx.load({ workers: 8, rate: capacity / 2 });
    try {
      for (let i = 1; i <= SAMPLES; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (i * ctx.durations.soakMs) / SAMPLES - Date.now())));
        for (const subject of subjects) samples.get(subject.name)?.push(await subject.read());
      }
    } finally {
      redis.disconnect();
      await es.close();
    }
    const acked = await load.stop();
    const lost = await ctx.checkNothingLost([...warmUp, ...acked]);
    const lostNotes = [...ctx.notes];
    const projectionsEqual = await ctx.converged();
    mkdirSync(SAMPLES_OUT, { recursive: true });
    writeFileSync(`${SAMPLES_OUT}soak-memory.json`, `${JSON.stringify({ intervalMs: ctx.durations.soakMs / SAMPLES, samples: Object.fromEntries(samples) }, null, 1)}\n`);
    const verdicts = subjects.map((subject) => judgeMemory(subject.name, samples.get(subject.name) ?? []));
    const problems = verdicts.filter((v) => !v.flat).map((v) => `${v.name} grew from ${mib(v.afterWarmUp)} to ${mib(v.atEnd)} after warm-up`);
    const grew = [...verdicts].sort((a, b) => b.atEnd - b.afterWarmUp - (a.atEnd - a.afterWarmUp)).slice(0, 3);
    return {
      acknowledged: acked.length,
      lost,
      projectionsEqual,
      recoverMs: Number.NaN,
      detail: [
        `capacity ${capacity.toFixed(0)} writes/s, soak ${Math.round(ctx.durations.soakMs / 1000)} s at ${(acked.length / (ctx.durations.soakMs / 1000)).toFixed(0)}/s`,
        `${subjects.length} processes sampled; most growth after warm-up: ${grew.map((v) => `${v.name} ${mib(v.afterWarmUp)}→${mib(v.atEnd)}`).join(', ')}`,
        ...lostNotes,
        ...ctx.notes,
      ].join('; '),
      ...(problems.length > 0 ? { problems } : {}),
    };
  },
};
