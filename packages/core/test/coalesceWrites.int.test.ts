import { once } from 'node:events';
import test from 'ava';
import { Redis } from 'ioredis';
import { coalesceWrites } from '../src/adapters/redis/index.js';
import { deleteKeys, randomPrefix, TEST_REDIS_URL } from './redisTestContext.js';

const prefix = randomPrefix('coalesce');
const cleaner = new Redis(TEST_REDIS_URL);
test.after.always(async () => {
  await deleteKeys(cleaner, prefix);
  cleaner.disconnect();
});

/** Counts the writes reaching the client's socket (a corked socket hands several chunks to one _writev). */
function countWrites(redis: Redis): () => number {
  const socket = (redis as unknown as { stream: { _write: (...args: unknown[]) => void; _writev?: (...args: unknown[]) => void } }).stream;
  let writes = 0;
  const write = socket._write.bind(socket);
  socket._write = (...args) => {
    writes += 1;
    write(...args);
  };
  if (socket._writev) {
    const writev = socket._writev.bind(socket);
    socket._writev = (...args) => {
      writes += 1;
      writev(...args);
    };
  }
  return () => writes;
}

test('coalesceWrites › commands of one turn go out in one write, answered in order', async (t) => {
  const redis = coalesceWrites(new Redis(TEST_REDIS_URL));
  await once(redis, 'ready');
  const writes = countWrites(redis);
  const key = `${prefix}:counter`;
  const replies = await Promise.all(Array.from({ length: 200 }, () => redis.incr(key)));
  t.deepEqual(replies, Array.from({ length: 200 }, (_, index) => index + 1));
  t.true(writes() <= 2, `${writes()} writes for 200 commands`);
  redis.disconnect();
});

test('coalesceWrites › keeps working across a reconnect and for commands queued before ready', async (t) => {
  const redis = coalesceWrites(new Redis(TEST_REDIS_URL));
  const key = `${prefix}:list`;
  const early = redis.rpush(key, 'before-ready'); // queued offline by ioredis
  await once(redis, 'ready');
  t.is(await early, 1);
  redis.disconnect(true);
  await once(redis, 'ready');
  const [a, b] = await Promise.all([redis.rpush(key, 'after-1'), redis.rpush(key, 'after-2')]);
  t.deepEqual([a, b], [2, 3]);
  t.deepEqual(await redis.lrange(key, 0, -1), ['before-ready', 'after-1', 'after-2']);
  redis.disconnect();
});
