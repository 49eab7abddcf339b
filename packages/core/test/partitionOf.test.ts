import test from 'ava';
import { partitionOf } from '../src/index.js';
import { createRedisKeys } from '../src/adapters/redis/redisKeys.js';

test('partitionOf › is stable and spreads plans over every partition', (t) => {
  t.is(partitionOf('12xvxc345ssdsds-508', 16), partitionOf('12xvxc345ssdsds-508', 16));
  const seen = new Set(Array.from({ length: 2000 }, (_, i) => partitionOf(`plan-${i}`, 16)));
  t.is(seen.size, 16);
  t.true([...seen].every((p) => p >= 0 && p < 16));
});

test('createRedisKeys › every key of a plan shares its partition log hash tag', (t) => {
  const keys = createRedisKeys({ prefix: 'pl', partitions: 16 });
  const abc = { org: 'example.com', planId: 'abc' };
  const tag = `{p${keys.partitionOf(abc)}}`;
  for (const key of [keys.head(abc), keys.versions(abc), keys.snapshots(abc), keys.log(keys.partitionOf(abc)), keys.projectionState('search', abc), keys.checkpoint('search', keys.partitionOf(abc))]) {
    t.true(key.startsWith(`pl:${tag}:`), key);
  }
});
