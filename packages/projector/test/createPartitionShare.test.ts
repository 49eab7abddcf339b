import test from 'ava';
import { InMemoryPartitionLeaseStore } from '@planledger/core';
import { createPartitionShare, type PartitionLeases } from '../src/createPartitionShare.js';

const LEASE = 1000;

/** Instances of one role over one in-memory store, on a clock the test moves; a round runs every `refresh`. */
function cluster(partitions: number) {
  let now = 0;
  const store = new InMemoryPartitionLeaseStore(partitions, () => now);
  const live = new Map<string, PartitionLeases>();
  const handedOver = new Map<string, number[][]>();
  const join = (member: string, handOver?: (partitions: number[]) => Promise<void>) => {
    handedOver.set(member, []);
    const share = createPartitionShare({
      store, member, role: 'test', leaseMs: LEASE, heartbeatMs: 0, now: () => now,
      handOver: async (given) => {
        handedOver.get(member)!.push(given);
        await handOver?.(given);
      },
    });
    live.set(member, share);
    return share;
  };
  /** One round of every live instance, in name order, then hand-overs under way settle; checks no partition is owned twice. */
  const round = async (t: import('ava').ExecutionContext) => {
    for (const [, share] of [...live].sort(([a], [b]) => (a < b ? -1 : 1))) await share.refresh();
    for (let i = 0; i < 10; i += 1) await new Promise((r) => setImmediate(r));
    const owned = [...live.values()].flatMap((share) => share.owned());
    t.is(new Set(owned).size, owned.length, `no partition owned twice: ${JSON.stringify(counts())}`);
  };
  const counts = () => Object.fromEntries([...live].map(([member, share]) => [member, share.owned().length]));
  const union = () => [...live.values()].flatMap((share) => share.owned()).sort((a, b) => a - b);
  return { store, live, handedOver, join, round, counts, union, pass: (ms: number) => void (now += ms), crash: (member: string) => live.delete(member) };
}

const all = (partitions: number) => Array.from({ length: partitions }, (_, p) => p);

test('partition share › one instance takes every partition; a second joining gets half, handed over by the first', async (t) => {
  const c = cluster(16);
  c.join('a');
  await c.round(t);
  t.deepEqual(c.union(), all(16));
  c.join('b');
  // b announces itself, a hands over, b takes them.
  for (let i = 0; i < 3; i += 1) await c.round(t);
  t.deepEqual(c.counts(), { a: 8, b: 8 });
  t.deepEqual(c.union(), all(16));
  t.is(c.handedOver.get('a')!.flat().length, 8, 'a handed over exactly what b took');
});

test('partition share › a graceful leave hands over and releases at once: the others take its partitions in their next round', async (t) => {
  const c = cluster(16);
  for (const member of ['a', 'b', 'c']) c.join(member);
  for (let i = 0; i < 3; i += 1) await c.round(t);
  t.deepEqual(Object.values(c.counts()).sort(), [5, 5, 6]);
  const leaving = c.live.get('b')!;
  const held = leaving.owned();
  await leaving.releaseAll();
  c.live.delete('b');
  t.deepEqual(c.handedOver.get('b')!.flat().filter((p) => held.includes(p)).sort((x, y) => x - y), held, 'handed over what it held before releasing');
  await c.round(t);
  t.deepEqual(c.counts(), { a: 8, c: 8 }, 'no time had to pass');
  t.deepEqual(c.union(), all(16));
});

test('partition share › a crashed instance’s partitions move only after its lease lapses', async (t) => {
  const c = cluster(8);
  c.join('a');
  c.join('b');
  for (let i = 0; i < 2; i += 1) await c.round(t);
  c.crash('b');
  c.pass(LEASE / 2);
  await c.round(t);
  t.deepEqual(c.counts(), { a: 4 }, 'b still counts as live and its leases hold');
  c.pass(LEASE / 2);
  await c.round(t);
  t.deepEqual(c.counts(), { a: 8 });
  t.deepEqual(c.union(), all(8));
});

test('partition share › a partition is released only after its hand-over settled, however long that takes; meanwhile its lease is renewed and nobody else gets it', async (t) => {
  const c = cluster(2);
  let finish = () => {};
  const settling = new Promise<void>((resolve) => (finish = resolve));
  const a = c.join('a', () => settling);
  await a.refresh();
  const b = c.join('b');
  await b.refresh();
  await a.refresh();
  t.is(a.owned().length, 1, 'a no longer serves the partition it hands over');
  for (let step = 0; step < 6; step += 1) {
    // The hand-over takes longer than the lease: a keeps renewing it (and the one it keeps) meanwhile.
    c.pass(LEASE / 2);
    await a.refresh();
    await b.refresh();
    t.is((await c.store.holders()).filter((h) => h === 'a').length, 2, 'a still holds both while it settles');
    t.deepEqual(b.owned(), [], 'b cannot take a partition still being handed over');
  }
  finish();
  for (let i = 0; i < 10; i += 1) await new Promise((r) => setImmediate(r));
  await b.refresh();
  t.is(a.owned().length + b.owned().length, 2);
  t.is(b.owned().length, 1);
});

test('partition share › flapping: an instance that pauses past its lease loses its partitions, stops them, and gets a share back when it returns', async (t) => {
  const c = cluster(6);
  const paused = new Map<string, PartitionLeases>();
  for (const member of ['a', 'b', 'c']) c.join(member);
  for (let i = 0; i < 2; i += 1) await c.round(t);
  for (let flap = 0; flap < 5; flap += 1) {
    const flapper = c.live.get('c')!;
    const before = flapper.owned();
    c.live.delete('c');
    paused.set('c', flapper);
    c.pass(LEASE / 2);
    await c.round(t);
    c.pass(LEASE / 2 + 1);
    for (let i = 0; i < 2; i += 1) await c.round(t);
    t.deepEqual(c.counts(), { a: 3, b: 3 }, 'the others took its partitions');
    c.live.set('c', flapper);
    await c.round(t);
    t.true(c.handedOver.get('c')!.some((given) => before.every((p) => given.includes(p))), 'it was told to stop what it lost');
    for (let i = 0; i < 2; i += 1) await c.round(t);
    t.deepEqual(Object.values(c.counts()), [2, 2, 2]);
  }
  t.deepEqual(c.union(), all(6));
});

test('partition share › more instances than partitions: each partition one owner, the extra instances stand by', async (t) => {
  const c = cluster(2);
  for (const member of ['a', 'b', 'c', 'd']) c.join(member);
  for (let i = 0; i < 3; i += 1) await c.round(t);
  t.deepEqual(Object.values(c.counts()).sort(), [0, 0, 1, 1]);
  t.deepEqual(c.union(), [0, 1]);
});

test('partition share › a store that fails for a whole lease makes the instance stop its partitions', async (t) => {
  let now = 0;
  const store = new InMemoryPartitionLeaseStore(2, () => now);
  let failing = false;
  const flaky = { ...store, partitions: 2, heartbeat: (m: string, ttl: number) => (failing ? Promise.reject(new Error('down')) : store.heartbeat(m, ttl)), acquire: store.acquire.bind(store), release: store.release.bind(store), leave: store.leave.bind(store), holders: store.holders.bind(store) };
  const stopped: number[][] = [];
  const share = createPartitionShare({ store: flaky, member: 'a', role: 'test', leaseMs: LEASE, heartbeatMs: 0, now: () => now, handOver: async (p) => void stopped.push(p) });
  t.deepEqual(await share.refresh(), [0, 1]);
  failing = true;
  now += LEASE / 2;
  await t.throwsAsync(share.refresh(), { message: 'down' });
  t.deepEqual(share.owned(), [0, 1], 'still within its lease');
  now += LEASE / 2;
  await t.throwsAsync(share.refresh(), { message: 'down' });
  t.deepEqual(share.owned(), []);
  t.deepEqual(stopped, [[0, 1]]);
});
