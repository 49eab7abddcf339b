/**
 * Export of the audit trail: `GET /v1/changes` as NDJSON and as CSV over EXPORT_EVENTS events
 * (default 100,000: EXPORT_PLANS plans of EXPORT_EVENTS / EXPORT_PLANS versions each), against
 * the real api process (relay and projector stopped). Prints wall time, events/s, bytes, and the
 * api's resident memory before and at its peak during each export (sampled from /proc every
 * 20 ms), plus the api's lifetime high-water mark (VmHWM). EXPORT_API_HEAP_MB caps the api's V8
 * old space (`--max-old-space-size`): an export that still completes under a small cap is one
 * whose memory does not grow with the number of events.
 *
 *   node --import tsx bench/exportBench.ts
 */
import { readFileSync } from 'node:fs';
import { createPlanService, type WriteContext } from '../packages/core/src/index.js';
import { createRedisKeys, RedisEventLog } from '../packages/core/src/adapters/redis/index.js';
import { aPlan } from '../packages/core/test/planMother.js';
import { devToken } from '../packages/api/test/authTestContext.js';
import { startStack, connectStackRedis } from '../packages/api/test/stackProcesses.js';
import { inParallel } from './benchApi.js';

const events = Number(process.env.EXPORT_EVENTS ?? 100_000);
const plans = Number(process.env.EXPORT_PLANS ?? 10_000);
const versions = Math.max(1, Math.round(events / plans));
const say = (line: string) => process.stdout.write(`${line}\n`);
say(`export bench: ${process.env.EXPORT_API_HEAP_MB ? `api old space capped at ${process.env.EXPORT_API_HEAP_MB} MB` : 'api heap uncapped'}`);

const memoryOf = (pid: number): { rss: number; hwm: number } => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const heapMb = process.env.EXPORT_API_HEAP_MB;
const stack = await startStack(heapMb ? { NODE_OPTIONS: `--max-old-space-size=${Number(heapMb)}` } : {});
try {
  await Promise.all([stack.kill('relay', 'SIGTERM'), stack.kill('projector', 'SIGTERM')]);
  const redis = connectStackRedis(stack.env);
  const log = new RedisEventLog(redis, createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: Number(stack.env.PARTITIONS) }));
  const service = createPlanService({ log, now: () => new Date() });
  const context: WriteContext = { actor: { clientId: 'bench', subject: 'bench' }, reason: 'export bench', org: 'example.com', crossOrg: false, requestId: 'bench' };
  say(`filling the log: ${plans} plans × ${versions} versions = ${plans * versions} events`);
  const filling = Date.now();
  await inParallel(Array.from({ length: plans }, (_, i) => i), 32, async (i) => {
    const plan = aPlan({ id: `export-${i}` });
    await service.create(plan, context);
    for (let v = 2; v <= versions; v += 1) await service.patch({ org: 'example.com', planId: plan.objectId }, 'json-patch', [{ op: 'replace', path: '/linkedPlanServices/1/planserviceCostShares/copay', value: v }], { ifMatch: '*' }, context);
  });
  say(`filled in ${((Date.now() - filling) / 1000).toFixed(1)} s`);
  redis.disconnect();

  const pid = stack.processes.api.pid ?? 0;
  const authorization = `Bearer ${await devToken(stack.env.OIDC_ISSUER ?? '', 'dev-auditor')}`;
  say('| export | events | bytes | seconds | events/s | api RSS before | api RSS peak | api VmHWM after |');
  say('|---|---|---|---|---|---|---|---|');
  for (const format of ['ndjson', 'csv'] as const) {
    const before = memoryOf(pid);
    let peak = before.rss;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rss)), 20);
    const started = performance.now();
    const response = await fetch(`${stack.baseUrl}/v1/changes?format=${format}`, { headers: { authorization } });
    let bytes = 0;
    let lines = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const count = format === 'csv' ? lines - 1 : lines;
    if (response.status !== 200 || count !== plans * versions) throw new Error(`${format}: ${response.status}, ${count} events`);
    say(`| ${format} | ${count} | ${mb(bytes)} | ${seconds.toFixed(1)} | ${Math.round(count / seconds)} | ${mb(before.rss)} | ${mb(peak)} | ${mb(memoryOf(pid).hwm)} |`);
  }
} finally {
  await stack.stop();
}
