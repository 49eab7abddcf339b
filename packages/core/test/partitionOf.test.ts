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

test('partitionOf › is FNV-1a of the id’s UTF-8 bytes, ASCII or not', (t) => {
  const fnv = (text: string) => [...Buffer.from(text, 'utf8')].reduce((hash, byte) => Math.imul(hash ^ byte, 0x01000193) >>> 0, 0x811c9dc5);
  // Known values (the layout every component agrees on) and ids beyond ASCII.
  t.is(fnv('a'), 0xe40c292c);
  for (const id of ['a', 'example.com/12xvxc345ssdsds-508', 'ex%C3%A9mple/plan', 'plän-ü', '計画-1', '😀', '']) {
    t.is(partitionOf(id, 1 << 30), fnv(id) % (1 << 30), id);
    t.is(partitionOf(id, 16), fnv(id) % 16, id);
  }
});

test('createRedisKeys › names the same keys whether a plan is asked about once or many times', (t) => {
  const keys = createRedisKeys({ prefix: 'pl', partitions: 16 });
  const plan = { org: 'ex ample', planId: 'a/b' };
  const tag = `pl:{p${partitionOf('ex%20ample/a%2Fb', 16)}}`;
  const expected = [`${tag}:head:ex%20ample/a%2Fb`, `${tag}:versions:ex%20ample/a%2Fb`, `${tag}:idempotency:ex%20ample/a%2Fb:k`, `${tag}:projection:search:ex%20ample/a%2Fb`, `${tag}:target:t1:ex%20ample/a%2Fb`];
  for (let round = 0; round < 2; round += 1) {
    t.deepEqual([keys.head(plan), keys.versions(plan), keys.idempotency(plan, 'k'), keys.projectionState('search', plan), keys.targetState('t1', plan)], expected);
  }
  // Another ref naming the same plan names the same keys.
  t.is(keys.head({ ...plan }), expected[0] ?? '');
});
