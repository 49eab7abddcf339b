/**
 * Measures the read side on this machine: projection lag (write acknowledged → applied to the
 * index, and → searchable) under a steady write load, and the replay rate of both projections.
 * Prints figures; asserts nothing. Run through `npm run bench -- projectionBench`.
 */
import { comparePositions, createPlanService, readProjectionLag, refOfPlan, silentLogger } from '../packages/core/src/index.js';
import { createRedisKeys, RedisEventLog, RedisPartitionLog, RedisProjectionState } from '../packages/core/src/adapters/redis/index.js';
import { PROJECTION_NAMES } from '../packages/projector/src/projections/index.js';
import { rebuildProjection } from '../packages/projector/src/rebuildProjection.js';
import { aPlan } from '../packages/core/test/planMother.js';
import { connectTestElastic } from '../packages/core/test/elasticTestContext.js';
import { devToken } from '../packages/api/test/authTestContext.js';
import { startStack, connectStackRedis } from '../packages/api/test/stackProcesses.js';
import { BENCH_STACK_ENV } from './benchApi.js';

const RATE = Number(process.env.BENCH_WRITES_PER_SECOND ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const REPLAY_PLANS = Number(process.env.BENCH_REPLAY_PLANS ?? 5000);
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? NaN;

const stack = await startStack({ ...BENCH_STACK_ENV });
const redis = connectStackRedis(stack.env);
const es = connectTestElastic();
try {
  const keys = createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: Number(stack.env.PARTITIONS) });
  const headers = { authorization: `Bearer ${await devToken(stack.env.OIDC_ISSUER ?? '', 'dev-writer')}`, 'content-type': 'application/json' };
  const pending: { token: string; at: number; planId: string; sampled: boolean }[] = [];
  const applied: number[] = [];
  const searchable: number[] = [];
  let done = false;

  const waitSearchable = async (planId: string, at: number) => {
    for (;;) {
      const found = await es.count({ index: stack.env.ES_ALIAS ?? '', query: { term: { planId } } });
      if (found.count > 0) return void searchable.push(Date.now() - at);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  // Watch the search projection's checkpoints: a write is applied once its partition's checkpoint reaches it.
  const watcher = (async () => {
    while (!done || pending.length > 0) {
      const checkpoints = await Promise.all(Array.from({ length: keys.partitions }, (_, p) => redis.get(keys.checkpoint('search', p))));
      for (const write of [...pending]) {
        const [partition, position] = [Number(write.token.split(':')[0]), write.token.split(':')[1] ?? ''];
        const reached = checkpoints[partition];
        if (reached && comparePositions(reached, position) >= 0) {
          applied.push(Date.now() - write.at);
          pending.splice(pending.indexOf(write), 1);
          if (write.sampled) void waitSearchable(write.planId, write.at);
        }
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  })();

  const started = Date.now();
  const writes: Promise<void>[] = [];
  for (let i = 0; Date.now() - started < SECONDS * 1000; i += 1) {
    const due = started + (i * 1000) / RATE;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    writes.push(
      (async () => {
        const plan = aPlan();
        const response = await fetch(`${stack.baseUrl}/v1/plans`, { method: 'POST', headers, body: JSON.stringify(plan) });
        const token = response.headers.get('x-consistency-token');
        if (token) pending.push({ token, at: Date.now(), planId: plan.objectId, sampled: i % 10 === 0 });
      })(),
    );
  }
  await Promise.all(writes);
  done = true;
  await watcher;
  await new Promise((r) => setTimeout(r, 1500));

  // A bigger log for the replay: plans written straight through the plan service (two events each).
  const log = new RedisEventLog(redis, keys);
  const plans = createPlanService({ log, now: () => new Date() });
  const context = { actor: { clientId: 'bench' }, org: 'example.com', crossOrg: false, requestId: 'bench' };
  const seedStarted = Date.now();
  for (let i = 0; i < REPLAY_PLANS; i += 50) {
    await Promise.all(Array.from({ length: 50 }, async () => {
      const plan = aPlan();
      await plans.create(plan, context);
      await plans.patch(refOfPlan(plan), 'merge-patch', { planType: 'outOfNetwork' }, { ifMatch: ['"v1"'] }, context);
    }));
  }
  for (;;) {
    const lags = await Promise.all(PROJECTION_NAMES.map((p) => readProjectionLag(new RedisPartitionLog(redis, keys), (partition) => new RedisProjectionState(redis, keys, p).checkpoint(partition))));
    if (lags.flat().every((lag) => lag.entries === 0)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const drainSeconds = (Date.now() - seedStarted) / 1000;
  const replays = [];
  for (const projection of PROJECTION_NAMES) {
    replays.push(await rebuildProjection({ projection, redis, keys, log, es, alias: stack.env.ES_ALIAS ?? '', logger: silentLogger, settleMs: 1500 }));
  }
  console.log(`\nprojection lag under ${RATE} writes/s for ${SECONDS} s (${applied.length} writes; searchable sampled every 10th, index refreshed every second while searched)`);
  console.table([
    { measure: 'write → applied to the index', 'p50 ms': percentile(applied, 50), 'p99 ms': percentile(applied, 99), samples: applied.length },
    { measure: 'write → searchable', 'p50 ms': percentile(searchable, 50), 'p99 ms': percentile(searchable, 99), samples: searchable.length },
  ]);
  console.log(`\nlive projectors: ${REPLAY_PLANS * 2} events appended as fast as the plan service goes, both projections caught up ${drainSeconds.toFixed(1)} s after the first (${Math.round((REPLAY_PLANS * 2) / drainSeconds)} events/s each)`);
  console.log('\nreplay from the whole log (live api and projectors running, idle)');
  console.table(replays.map((r) => ({ target: r.target, events: r.events, seconds: r.seconds.toFixed(1), 'events/s (incl. 1.5 s settle)': Math.round(r.events / r.seconds), 'events/s (replay only)': Math.round(r.events / (r.seconds - 1.5)) })));
} finally {
  redis.disconnect();
  await es.close();
  await stack.stop();
}
