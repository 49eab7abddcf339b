import test from 'ava';
import { RedisPlanDirectory } from '../src/adapters/redis/index.js';
import { planDirectoryContract } from './planDirectoryContract.js';
import { connectTestRedis, deleteKeys, randomPrefix } from './redisTestContext.js';

const redis = connectTestRedis();
const prefix = randomPrefix('directory');
test.after.always(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

planDirectoryContract(test, 'RedisPlanDirectory', async () => new RedisPlanDirectory(redis, prefix));
