import test from 'ava';
import { createRedisKeys, RedisPartitionLeaseStore } from '../src/adapters/redis/index.js';
import { partitionLeaseStoreContract } from './partitionLeaseStoreContract.js';
import { connectTestRedis, deleteKeys, randomPrefix } from './redisTestContext.js';

const redis = connectTestRedis();
const other = redis.duplicate();
const prefixes: string[] = [];

test.after.always(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  other.disconnect();
  redis.disconnect();
});

partitionLeaseStoreContract(test, 'RedisPartitionLeaseStore', async (partitions) => {
  const prefix = randomPrefix('leases');
  prefixes.push(prefix);
  const keys = createRedisKeys({ prefix, partitions });
  return {
    store: new RedisPartitionLeaseStore(redis, keys, 'relay'),
    other: new RedisPartitionLeaseStore(other, keys, 'relay'),
    pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
});

test('RedisPartitionLeaseStore › the relay role keeps the lease key older relays used', (t) => {
  const keys = createRedisKeys({ prefix: 'pl', partitions: 16 });
  t.is(keys.lease('relay', 7), 'pl:{p7}:relay-lease');
  t.is(keys.members('projector'), 'pl:{members}:projector', 'one key, one slot');
});
