import test from 'ava';
import { createRedisKeys, RedisEventLog } from '../src/adapters/redis/index.js';
import { planServiceProperties } from './planServiceProperties.js';
import { connectTestRedis, deleteKeys, randomPrefix } from './redisTestContext.js';

const redis = connectTestRedis();
const prefix = randomPrefix('property');
test.after.always(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

planServiceProperties(test, 'plan service on the Redis log (AOF)', async () => new RedisEventLog(redis, createRedisKeys({ prefix, partitions: 8 }), { snapshotEvery: 3 }), 60);
