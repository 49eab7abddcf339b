/**
 * The projection engine's two costs that must follow the change, not the plan: a burst of
 * changes to ONE plan (coalescing keeps the live projector up), and a rebuild of a log holding
 * one very deep plan among many small ones (folding writes each plan once). Prints figures;
 * asserts nothing. Run through `npm run bench -- engineBench`.
 */
import { Redis } from 'ioredis';
import { comparePositions, createPlanService, refOfPlan, silentLogger } from '../packages/core/src/index.js';
import { createRedisKeys, RedisEventLog } from '../packages/core/src/adapters/redis/index.js';
import { rebuildProjection } from '../packages/projector/src/rebuildProjection.js';
import { aPlan } from '../packages/core/test/planMother.js';
import { connectTestElastic } from '../packages/core/test/elasticTestContext.js';
import { startStack } from '../packages/api/test/stackProcesses.js';

const RATE = Number(process.env.BENCH_HOT_PLAN_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DEEP_VERSIONS = Number(process.env.BENCH_DEEP_VERSIONS ?? 10_000);
const SMALL_PLANS = Number(process.env.BENCH_SMALL_PLANS ?? 6_000);

const stack = await startStack({ LOG_LEVEL: 'error' });
const redis = new Redis(stack.env.REDIS_URL ?? '');
const es = connectTestElastic();
try {
  const keys = createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: Number(stack.env.PARTITIONS) });
  const log = new RedisEventLog(redis, keys);
  const plans = createPlanService({ log, now: () => new Date() });
  const context = { actor: 'bench', org: 'example.com', crossOrg: false, requestId: 'bench' };
  const checkpoint = (partition: number) => redis.get(keys.checkpoint('search', partition));

  // 1. One plan patched RATE times a second for SECONDS: how fast the search projection follows it.
  const hot = aPlan();
  await plans.create(hot, context);
  const partition = keys.partitionOf(refOfPlan(hot));
  let last = '';
  const started = Date.now();
  for (let i = 0; Date.now() - started < SECONDS * 1000; i += 1) {
    await new Promise((r) => setTimeout(r, Math.max(0, started + (i * 1000) / RATE - Date.now())));
    const result = await plans.patch(refOfPlan(hot), 'merge-patch', { planType: `t${i}` }, {}, context);
    last = result.position?.id ?? last;
  }
  const burstEnd = Date.now();
  for (;;) {
    const reached = await checkpoint(partition);
    if (reached && comparePositions(reached, last) >= 0) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const drainMs = Date.now() - burstEnd;
  const versions = (await log.head(refOfPlan(hot)))?.version ?? 0;
  console.log(`\none plan patched at up to ${RATE}/s for ${SECONDS} s (reached ${Math.round(versions / ((burstEnd - started) / 1000))}/s, one patch at a time): ${versions} versions; search checkpoint reached the last ${drainMs} ms after the burst (${Math.round(versions / ((burstEnd - started + drainMs) / 1000))} versions/s projected)`);

  // 2. A rebuild of a log with one plan of DEEP_VERSIONS versions and SMALL_PLANS plans of 3 versions.
  const deep = aPlan();
  await plans.create(deep, context);
  for (let v = 2; v <= DEEP_VERSIONS; v += 1) await plans.patch(refOfPlan(deep), 'merge-patch', { planType: `d${v}` }, {}, context);
  for (let i = 0; i < SMALL_PLANS; i += 50) {
    await Promise.all(Array.from({ length: 50 }, async () => {
      const plan = aPlan();
      await plans.create(plan, context);
      await plans.patch(refOfPlan(plan), 'merge-patch', { planType: 'outOfNetwork' }, {}, context);
      await plans.patch(refOfPlan(plan), 'merge-patch', { planType: 'inNetwork' }, {}, context);
    }));
  }
  const rebuild = await rebuildProjection({ projection: 'search', redis, keys, log, es, alias: stack.env.ES_ALIAS ?? '', logger: silentLogger, settleMs: 1500 });
  console.log(`search rebuild: ${rebuild.events} events (one plan of ${DEEP_VERSIONS} versions, ${SMALL_PLANS} plans of 3) in ${rebuild.seconds.toFixed(1)} s: ${Math.round(rebuild.events / (rebuild.seconds - 1.5))} events/s (replay only, 1.5 s settle excluded)`);
} finally {
  redis.disconnect();
  await es.close();
  await stack.stop();
}
