import test from 'ava';
import { createRedisKeys, RedisEventLog, assertDurableRedis } from '../src/adapters/redis/index.js';
import { refOfPlan } from '../src/index.js';
import { eventLogContract } from './eventLogContract.js';
import { connectTestRedis, deleteKeys, randomPrefix } from './redisTestContext.js';

const redis = connectTestRedis();
const prefix = randomPrefix('eventlog');

test.after.always(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

eventLogContract(test, 'RedisEventLog', async (options) => new RedisEventLog(redis, createRedisKeys({ prefix, partitions: 4 }), options));

test('RedisEventLog › survives a flushed script cache (EVALSHA reloads on NOSCRIPT)', async (t) => {
  const log = new RedisEventLog(redis, createRedisKeys({ prefix, partitions: 4 }));
  await redis.script('FLUSH');
  const { aPlan } = await import('./planMother.js');
  const plan = aPlan();
  await log.append({
    event: { planId: plan.objectId, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: plan }], actor: 'a', org: plan._org, at: new Date().toISOString(), requestId: 'r', schemaVersion: 1 },
    document: plan,
  });
  t.is((await log.head(refOfPlan(plan)))?.version, 1);
});

test('RedisEventLog › the log Redis runs with AOF appendfsync always', async (t) => {
  await t.notThrowsAsync(assertDurableRedis(redis, { allowNonDurable: false }));
});
