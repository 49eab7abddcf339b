import test from 'ava';
import { createRedisKeys, RedisTemporalState } from '../src/adapters/redis/index.js';
import type { OpenVersion, PlanRef } from '../src/index.js';
import { connectTestRedis, deleteKeys, randomPrefix } from './redisTestContext.js';

const redis = connectTestRedis();
const prefix = randomPrefix('tempstate');
const keys = createRedisKeys({ prefix, partitions: 4 });
// Serial: one test drops every record of this target.
const target = 'plans-asof-000001';
test.after.always(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

let plans = 0;
const aRef = (): PlanRef => ({ org: 'example.com', planId: `plan-${plans++}` });
/** `count` open versions, objects o0…, all opened at `version`. */
const openAt = (version: number, count: number, from = 0): Map<string, OpenVersion> => new Map(Array.from({ length: count }, (_, i) => [`o${from + i}`, { fromVersion: version, validFrom: version * 1000 }]));

const counted: (typeof redis)[] = [];
test.after.always(() => counted.forEach((client) => client.disconnect()));

/** A state on its own connection to the real Redis, counting the whole-record reads (HGETALL) it sends. */
function countingReads(options: ConstructorParameters<typeof RedisTemporalState>[3] = {}): { readonly state: RedisTemporalState; reads(): number } {
  let reads = 0;
  const client = connectTestRedis();
  counted.push(client);
  const hgetall = client.hgetall.bind(client) as (key: string) => Promise<Record<string, string>>;
  Object.assign(client, { hgetall: (key: string) => ((reads += 1), hgetall(key)) });
  return { state: new RedisTemporalState(client, keys, target, options), reads: () => reads };
}

/** Version 1 with `objects` open versions, then version 2 re-opening o0: what a live writer does. */
async function writeTwoVersions(state: RedisTemporalState, plan: PlanRef, objects: number) {
  await state.get(plan);
  await state.set(plan, { version: 1, at: 1000, opened: openAt(1, objects), closed: [], open: openAt(1, objects) });
  const held = await state.get(plan);
  const open = new Map(held.open).set('o0', { fromVersion: 2, validFrom: 2000 });
  await state.set(plan, { version: 2, at: 2000, opened: new Map([['o0', open.get('o0')!]]), closed: [], open });
}

test.serial('RedisTemporalState › the record this process last wrote is answered from memory while it is the one in Redis: one whole read per plan, not one per change', async (t) => {
  const plan = aRef();
  const { state, reads } = countingReads();
  await writeTwoVersions(state, plan, 300);
  const held = await state.get(plan);
  t.is(held.version, 2);
  t.is(held.open.size, 300);
  t.deepEqual(held.open.get('o0'), { fromVersion: 2, validFrom: 2000 });
  t.is(reads(), 1, 'only the first read, of a plan it had never seen, read every open version');
  // What it remembers is what Redis holds: a fresh process reads the same.
  t.deepEqual(await new RedisTemporalState(redis, keys, target).get(plan), held);
});

test.serial('RedisTemporalState › a record another process moved on, reset or dropped is read again', async (t) => {
  const plan = aRef();
  const { state, reads } = countingReads();
  await writeTwoVersions(state, plan, 5);
  const other = new RedisTemporalState(redis, keys, target);

  // Another writer takes version 3 (a hand-over of the partition).
  const base = await other.get(plan);
  const open3 = new Map(base.open).set('o1', { fromVersion: 3, validFrom: 3000 });
  await other.set(plan, { version: 3, at: 3000, opened: new Map([['o1', open3.get('o1')!]]), closed: [], open: open3 });
  t.deepEqual(await state.get(plan), { version: 3, at: 3000, open: open3 });
  t.is(reads(), 2);

  // A repair resets it at the same version, with other open versions.
  const repaired = openAt(3, 2, 10);
  await other.reset(plan, { version: 3, at: 3000, open: repaired });
  t.deepEqual((await state.get(plan)).open, repaired, 'the reset record, not the one remembered at the same version');
  t.is(reads(), 3);

  // Its index was dropped.
  await RedisTemporalState.drop(redis, keys, target);
  t.deepEqual(await state.get(plan), { version: 0, at: 0, open: new Map() });
});

test.serial('RedisTemporalState › a write refused for an older version leaves Redis as it was, and what is read next is Redis', async (t) => {
  const plan = aRef();
  const { state } = countingReads();
  await writeTwoVersions(state, plan, 3);
  const stale = openAt(1, 1, 20);
  await state.set(plan, { version: 2, at: 9000, opened: stale, closed: ['o0', 'o1', 'o2'], open: stale });
  const held = await state.get(plan);
  t.is(held.at, 2000);
  t.deepEqual([...held.open.keys()].sort(), ['o0', 'o1', 'o2']);
});

test.serial('RedisTemporalState › within a small memory budget, records let go are read back whole and stay right', async (t) => {
  const { state, reads } = countingReads({ cacheEntries: 25 });
  const refs = [aRef(), aRef(), aRef()];
  for (const plan of refs) await writeTwoVersions(state, plan, 10);
  t.is(reads(), 3, 'one first read per plan');
  for (const plan of refs) {
    const held = await state.get(plan);
    t.is(held.version, 2);
    t.is(held.open.size, 10);
  }
  t.true(reads() > 3 && reads() <= 6, `only what did not fit (11 entries a plan, 25 kept) was read again: ${reads()} reads`);
});
