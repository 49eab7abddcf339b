import test from 'ava';
import { INITIAL_PLAN_STATE, refOfPlan, type PlanEvent } from '@planledger/core';
import { createRedisKeys, RedisEventLog, RedisPlanDirectory, RedisProjectionState } from '@planledger/core/redis';
import { verifyProjection } from '../src/verifyProjection.js';
import { aPlan } from '../../core/test/planMother.js';
import { connectTestRedis, deleteKeys, randomPrefix } from '../../core/test/redisTestContext.js';
import { connectTestElastic } from '../../core/test/elasticTestContext.js';
import { eventOf } from './projectionTestKit.js';

const redis = connectTestRedis();
const es = connectTestElastic();
test.after.always(async () => {
  redis.disconnect();
  await es.close();
});

/** A plan at versions 1 and 2 in the log, listed in the directory at version 1 only, the directory's checkpoint at version 1: a projector one event behind. */
async function oneEventBehind(t: { teardown(fn: () => Promise<void>): void }) {
  const prefix = randomPrefix('verify');
  t.teardown(() => deleteKeys(redis, prefix));
  const keys = createRedisKeys({ prefix, partitions: 2 });
  const log = new RedisEventLog(redis, keys);
  const document = aPlan();
  const { planId } = refOfPlan(document);
  const first = eventOf(planId, 1);
  const appended1 = await log.append({ event: { ...first, patch: [{ op: 'add', path: '', value: document }] }, document });
  const second = { ...eventOf(planId, 2), patch: [{ op: 'replace', path: '/planType', value: 'type-2' }] } as PlanEvent;
  const document2 = { ...document, planType: 'type-2' };
  const appended2 = await log.append({ event: second, document: document2 });
  if (appended1.kind !== 'appended' || appended2.kind !== 'appended') throw new Error('append refused');
  const directory = new RedisPlanDirectory(redis, prefix);
  const state = new RedisProjectionState(redis, keys, 'directory');
  await directory.apply({ event: first, before: INITIAL_PLAN_STATE, after: { version: 1, document } });
  await state.setCheckpoint(appended1.partition, appended1.position);
  /** What the live projector does next: apply version 2 and move its checkpoint past it. */
  const catchUp = async () => {
    await directory.apply({ event: second, before: { version: 1, document }, after: { version: 2, document: document2 } });
    await state.setCheckpoint(appended2.partition, appended2.position);
  };
  return { keys, log, planId, catchUp };
}

test('verify on a live projection › a plan the projector had not caught up with when compared is compared again once it has, and not reported', async (t) => {
  const { keys, log, catchUp } = await oneEventBehind(t);
  let caughtUp: Promise<void> | null = null;
  const verdict = await verifyProjection({
    projection: 'directory',
    redis,
    keys,
    log,
    es,
    alias: 'unused',
    // The projector catches up right after the first pass compared every plan (and found this one a version behind).
    onProgress: ({ plansDone, plans }) => {
      if (plansDone === plans && plans > 0) caughtUp ??= catchUp();
    },
  });
  t.not(caughtUp, null, 'the first pass compared the plan while the projector was behind');
  t.deepEqual(verdict.mismatches, []);
});

test('verify on a live projection › a difference that stays once the projector is past the log is reported', async (t) => {
  const { keys, log, planId } = await oneEventBehind(t);
  // The checkpoint is at the log's end, yet the listing stays at version 1: drift, not lag.
  const end = await redis.xrevrange(keys.log(keys.partitionOf({ org: 'example.com', planId })), '+', '-', 'COUNT', 1);
  await new RedisProjectionState(redis, keys, 'directory').setCheckpoint(keys.partitionOf({ org: 'example.com', planId }), end[0]?.[0] ?? '');
  const verdict = await verifyProjection({ projection: 'directory', redis, keys, log, es, alias: 'unused' });
  t.deepEqual(verdict.mismatches.map((m) => [m.planId, m.kind, m.actualVersion]), [[planId, 'staleVersion', 1]]);
  t.is(verdict.counts.staleVersion, 1);
});
