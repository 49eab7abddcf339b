import test from 'ava';
import { createJobRunner, deadLetterOf, RedisDeadLetterStore, RedisJobStore, type DeadLetter, type JobRecord } from '../src/admin/index.js';
import { connectTestRedis, deleteKeys, keysUnder, randomPrefix } from '../../core/test/redisTestContext.js';

const redis = connectTestRedis();
test.after.always(() => redis.disconnect());

function withPrefix(t: { teardown(fn: () => Promise<void>): void }): string {
  const prefix = randomPrefix('admin');
  t.teardown(() => deleteKeys(redis, prefix));
  return prefix;
}

const aJob = (over: Partial<JobRecord> = {}): JobRecord => ({
  id: `job-${Math.random().toString(36).slice(2)}`,
  projection: 'search',
  kind: 'rebuild',
  state: 'running',
  phase: 'starting',
  eventsDone: 0,
  eventsTotal: 0,
  eventsPerSecond: 0,
  etaSeconds: null,
  startedAt: new Date().toISOString(),
  finishedAt: null,
  result: null,
  error: null,
  heartbeatAt: new Date().toISOString(),
  owner: 'test/1',
  ...over,
});

test('RedisJobStore › one lock per projection, renewed only by its holder, released on finish; keys hash-tagged under the prefix', async (t) => {
  const prefix = withPrefix(t);
  const store = new RedisJobStore(redis, prefix);
  const first = aJob();
  t.is(await store.claim(first, 5_000), null);
  t.is(await store.claim(aJob(), 5_000), first.id, 'the holder is named');
  t.is(await store.claim(aJob({ projection: 'directory' }), 5_000), null, 'another projection is free');
  t.true(await store.heartbeat({ ...first, eventsDone: 7 }, 5_000));
  t.is((await store.get(first.id))?.eventsDone, 7);
  t.false(await store.heartbeat(aJob({ id: 'not-the-holder' }), 5_000));
  await store.finish({ ...first, state: 'succeeded' });
  t.is(await store.holder('search'), null);
  t.is((await store.get(first.id))?.state, 'succeeded');
  const keys = await keysUnder(redis, prefix);
  t.true(keys.length > 0 && keys.every((key) => key.startsWith(`${prefix}:{admin}:`)), keys.join(', '));
});

test('RedisJobStore › a lock whose lease ran out can be taken; the old holder’s heartbeat then fails', async (t) => {
  const store = new RedisJobStore(redis, withPrefix(t));
  const first = aJob();
  t.is(await store.claim(first, 50), null);
  await new Promise((r) => setTimeout(r, 80));
  const second = aJob();
  t.is(await store.claim(second, 5_000), null);
  t.false(await store.heartbeat(first, 5_000));
  await store.finish({ ...first, state: 'failed' });
  t.is(await store.holder('search'), second.id, 'finishing the old job leaves the new lock alone');
});

test('RedisJobStore › markInterrupted replaces a running job only while its heartbeat is the one seen', async (t) => {
  const store = new RedisJobStore(redis, withPrefix(t));
  const job = aJob();
  await store.claim(job, 5_000);
  t.false(await store.markInterrupted({ ...job, state: 'interrupted' }, 'another time'));
  t.true(await store.markInterrupted({ ...job, state: 'interrupted' }, job.heartbeatAt));
  t.false(await store.markInterrupted({ ...job, state: 'interrupted' }, job.heartbeatAt), 'no longer running');
  t.is((await store.get(job.id))?.state, 'interrupted');
});

test('RedisJobStore under the runner › list newest first, by projection; cancel asked by another runner ends the job cancelled', async (t) => {
  const store = new RedisJobStore(redis, withPrefix(t));
  const runner = createJobRunner({ store, heartbeatMs: 20 });
  const ids: string[] = [];
  for (const projection of ['search', 'directory', 'search']) {
    const job = await runner.start(projection, 'verify', async () => ({ plans: 0 }));
    await runner.settled(job.id);
    ids.push(job.id);
    await new Promise((r) => setTimeout(r, 5));
  }
  t.deepEqual((await runner.list({ projection: 'search' })).map((job) => job.id), [ids[2], ids[0]]);
  const long = await runner.start('search', 'rebuild', ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))));
  const other = createJobRunner({ store });
  await other.cancel(long.id);
  t.is((await runner.settled(long.id)).state, 'cancelled');
  t.is((await other.get(long.id))?.state, 'cancelled');
});

const aLetter = (position: string, at: Date, projection = 'search'): DeadLetter =>
  deadLetterOf({ projection, partition: 2, position, body: JSON.stringify({ planId: 'p', org: 'example.com', version: 3 }), error: 'bad patch', deliveryCount: 6, at });

test('RedisDeadLetterStore › the same message recorded twice is one record; status changes only over the record seen', async (t) => {
  const store = new RedisDeadLetterStore(redis, withPrefix(t), ['search', 'directory']);
  const letter = aLetter('1700000000000-0', new Date(1_000));
  await store.record(letter);
  await store.record(letter);
  t.is((await store.list({ limit: 10 })).deadLetters.length, 1);
  t.like(await store.get(letter.id), { planId: 'p', org: 'example.com', version: 3, status: 'waiting', deliveryCount: 6 });
  t.is(await store.waitingCount('search'), 1);
  const retried: DeadLetter = { ...letter, status: 'retried' };
  t.true(await store.update(retried, letter));
  t.is(await store.waitingCount('search'), 0);
  t.false(await store.update({ ...letter, status: 'discarded' }, letter), 'the record is no longer waiting');
  // Dead-lettered again after the retry: waiting again, one record.
  await store.record(aLetter('1700000000000-0', new Date(2_000)));
  t.is((await store.get(letter.id))?.status, 'waiting');
  t.deepEqual(await store.waiting('search'), [letter.id]);
});

test('RedisDeadLetterStore › lists newest first in pages, by projection, with a cursor that goes on', async (t) => {
  const store = new RedisDeadLetterStore(redis, withPrefix(t), ['search', 'directory']);
  for (let i = 0; i < 7; i += 1) await store.record(aLetter(`1700000000000-${i}`, new Date(1_000 * (i % 3)), i % 2 === 0 ? 'search' : 'directory'));
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ limit: 2, ...(cursor ? { cursor } : {}) });
    seen.push(...page.deadLetters.map((letter) => letter.id));
    cursor = page.next ?? undefined;
  } while (cursor);
  t.is(seen.length, 7);
  t.is(new Set(seen).size, 7, 'none twice');
  const times = await Promise.all(seen.map(async (id) => Date.parse((await store.get(id))!.deadLetteredAt)));
  t.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
  t.true((await store.list({ projection: 'directory', limit: 10 })).deadLetters.every((letter) => letter.projection === 'directory'));
  t.is((await store.list({ projection: 'directory', limit: 10 })).deadLetters.length, 3);
});
