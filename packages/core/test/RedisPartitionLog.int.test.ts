import test from 'ava';
import { createRedisKeys, RedisEventLog, RedisPartitionLog } from '../src/adapters/redis/index.js';
import { partitionLogContract } from './partitionLogContract.js';
import { connectTestRedis, deleteKeys, randomPrefix } from './redisTestContext.js';

const redis = connectTestRedis();
const prefixes: string[] = [];
const blocking: ReturnType<typeof connectTestRedis>[] = [];

test.after.always(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  for (const connection of blocking) connection.disconnect();
  redis.disconnect();
});

partitionLogContract(test, 'RedisPartitionLog', async (partitions) => {
  const prefix = randomPrefix('partition-log');
  prefixes.push(prefix);
  const keys = createRedisKeys({ prefix, partitions });
  const reader = redis.duplicate();
  blocking.push(reader);
  return { log: new RedisPartitionLog(reader, keys), events: new RedisEventLog(redis, keys) };
});
