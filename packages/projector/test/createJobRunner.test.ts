import test from 'ava';
import { JobRunning } from '@planledger/core';
import { createJobRunner, InMemoryJobStore, type JobControl } from '../src/admin/index.js';

/** A clock the test moves by hand. */
function clock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return { now: () => now, date: () => new Date(now), advance: (ms: number) => (now += ms) };
}

/** Work the test lets finish (or that fails with the signal's reason when aborted). */
function controllable() {
  let release!: (value: unknown) => void;
  let control!: JobControl;
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const work = (given: JobControl) =>
    new Promise<unknown>((done, fail) => {
      control = given;
      release = done;
      given.signal.addEventListener('abort', () => fail(given.signal.reason));
      markStarted();
    });
  return { work, started, release: (value: unknown) => release(value), control: () => control };
}

test('a job › shows progress with rate and ETA, then its result', async (t) => {
  const time = clock();
  const runner = createJobRunner({ store: new InMemoryJobStore(time.now), now: time.date, heartbeatMs: 10 });
  const work = controllable();
  const job = await runner.start('search', 'rebuild', work.work);
  await work.started;
  t.is(job.state, 'running');
  work.control().progress({ phase: 'replay', eventsDone: 50, eventsTotal: 200 });
  time.advance(10_000);
  const running = (await runner.get(job.id))!;
  t.like(running, { state: 'running', phase: 'replay', eventsDone: 50, eventsTotal: 200, eventsPerSecond: 5, etaSeconds: 30, finishedAt: null });
  work.release({ target: 'plans-1' });
  const end = await runner.settled(job.id);
  t.like(end, { state: 'succeeded', phase: 'done', result: { target: 'plans-1' }, error: null, etaSeconds: null });
  t.not(end.finishedAt, null);
});

test('one job per projection › a second start throws JobRunning naming the first; another projection may start', async (t) => {
  const runner = createJobRunner({ store: new InMemoryJobStore() });
  const first = controllable();
  const job = await runner.start('search', 'rebuild', first.work);
  const error = await t.throwsAsync(runner.start('search', 'verify', async () => null), { instanceOf: JobRunning });
  t.is(error?.jobId, job.id);
  const other = await runner.start('directory', 'verify', async () => 'ok');
  t.is((await runner.settled(other.id)).state, 'succeeded');
  first.release(null);
  await runner.settled(job.id);
  const next = await runner.start('search', 'verify', async () => 'ok');
  t.is((await runner.settled(next.id)).state, 'succeeded', 'the lock was released when the first ended');
});

test('cancel › aborts the signal and the job ends cancelled; cancelling again answers the ended job', async (t) => {
  const runner = createJobRunner({ store: new InMemoryJobStore() });
  const work = controllable();
  const job = await runner.start('search', 'rebuild', work.work);
  await work.started;
  await runner.cancel(job.id);
  t.true(work.control().signal.aborted);
  const end = await runner.settled(job.id);
  t.is(end.state, 'cancelled');
  t.is((await runner.cancel(job.id)).state, 'cancelled');
});

test('cancel from another process › the owner sees the request at its heartbeat', async (t) => {
  const store = new InMemoryJobStore();
  const owner = createJobRunner({ store, heartbeatMs: 5 });
  const other = createJobRunner({ store, heartbeatMs: 5 });
  const work = controllable();
  const job = await owner.start('search', 'verify', work.work);
  await work.started;
  t.is((await other.cancel(job.id)).state, 'running');
  t.is((await owner.settled(job.id)).state, 'cancelled');
});

test('a failing job › ends failed with the error, and frees its projection', async (t) => {
  const runner = createJobRunner({ store: new InMemoryJobStore() });
  const job = await runner.start('search', 'verify', async () => {
    throw new Error('Elasticsearch said no');
  });
  t.like(await runner.settled(job.id), { state: 'failed', error: 'Elasticsearch said no' });
  t.is(await runner.running('search'), null);
});

test('a job whose process died › reads as interrupted once its heartbeat is older than the lease, and sweep marks it', async (t) => {
  const time = clock();
  const store = new InMemoryJobStore(time.now);
  const dead = createJobRunner({ store, now: time.date, leaseMs: 1_000, heartbeatMs: 60_000 });
  const work = controllable();
  const job = await dead.start('search', 'rebuild', work.work);
  // Another process (the restarted api) reads it: still running within the lease, interrupted past it.
  const reader = createJobRunner({ store, now: time.date, leaseMs: 1_000 });
  t.is((await reader.get(job.id))!.state, 'running');
  time.advance(1_500);
  const seen = (await reader.get(job.id))!;
  t.like(seen, { state: 'interrupted', finishedAt: job.heartbeatAt });
  t.regex(seen.error ?? '', /stopped: no heartbeat since/);
  t.is((await store.get(job.id))!.state, 'interrupted', 'the store now says so too');
  t.is(await reader.running('search'), null);
  const again = await reader.start('search', 'verify', async () => 'ok');
  t.is((await reader.settled(again.id)).state, 'succeeded', 'the projection is free again');

  const other = createJobRunner({ store, now: time.date, leaseMs: 1_000, heartbeatMs: 60_000 });
  const orphan = await other.start('directory', 'rebuild', controllable().work);
  time.advance(5_000);
  t.is(await reader.sweep(), 1);
  t.is((await store.get(orphan.id))!.state, 'interrupted');
  work.release(null);
});

test('close › stops this process’s jobs, which end interrupted', async (t) => {
  const runner = createJobRunner({ store: new InMemoryJobStore() });
  const work = controllable();
  const job = await runner.start('search', 'rebuild', work.work);
  await work.started;
  await runner.close();
  t.is((await runner.get(job.id))!.state, 'interrupted');
});

test('list › newest first, by projection', async (t) => {
  const time = clock();
  const runner = createJobRunner({ store: new InMemoryJobStore(time.now), now: time.date });
  const ids: string[] = [];
  for (const projection of ['search', 'directory', 'search']) {
    const job = await runner.start(projection, 'verify', async () => null);
    await runner.settled(job.id);
    ids.push(job.id);
    time.advance(1_000);
  }
  t.deepEqual((await runner.list()).map((job) => job.id), [...ids].reverse());
  t.deepEqual((await runner.list({ projection: 'search' })).map((job) => job.id), [ids[2], ids[0]]);
});
