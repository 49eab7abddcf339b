import test from 'ava';
import { createRedisKeys, RedisEventLog, RedisProjectionState } from '../src/adapters/redis/index.js';
import { EVENT_SCHEMA_VERSION, evolvePlan, foldPlan, INITIAL_PLAN_STATE, refOfPlan, type PlanEvent, type PlanState } from '../src/index.js';
import { aPlan } from './planMother.js';
import { connectTestRedis, deleteKeys, randomPrefix } from './redisTestContext.js';

const redis = connectTestRedis();
const prefix = randomPrefix('projstate');
const keys = createRedisKeys({ prefix, partitions: 4 });
const log = new RedisEventLog(redis, keys);
test.after.always(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

/** A plan with `versions` versions in the log (created, then copay PATCHes; deleted last when asked). */
async function planWithHistory(versions: number, { deleted = false } = {}) {
  const plan = aPlan();
  const events: PlanEvent[] = [];
  let state: PlanState = INITIAL_PLAN_STATE;
  for (let version = 1; version <= versions; version += 1) {
    const last = deleted && version === versions;
    const event: PlanEvent = {
      planId: plan.objectId,
      version,
      type: version === 1 ? 'created' : last ? 'deleted' : 'patched',
      patch: version === 1 ? [{ op: 'add', path: '', value: plan }] : last ? [] : [{ op: 'replace', path: '/planCostShares/copay', value: version }],
      actor: 't',
      org: plan._org as string,
      at: new Date(Date.now() + version).toISOString(),
      requestId: `r${version}`,
      schemaVersion: EVENT_SCHEMA_VERSION,
    };
    state = evolvePlan(state, event);
    const appended = await log.append({ event, document: state.document });
    if (appended.kind !== 'appended') throw new Error('append refused');
    events.push(event);
  }
  return { ref: refOfPlan(plan), events };
}

/** What the runner does per change: read the state, fold the event, write the state. */
async function project(state: RedisProjectionState, ref: ReturnType<typeof refOfPlan>, events: readonly PlanEvent[]) {
  for (const event of events) await state.set(ref, evolvePlan(await state.get(ref), event));
}

test('RedisProjectionState › with a log a state records the version alone; a fresh process reads the same state back from the log', async (t) => {
  const { ref, events } = await planWithHistory(40);
  const live = new RedisProjectionState(redis, keys, 'search', { log });
  await project(live, ref, events);
  t.deepEqual(await redis.hgetall(keys.projectionState('search', ref)), { version: '40' }, 'no copy of the plan');
  const fresh = new RedisProjectionState(redis, keys, 'search', { log });
  t.deepEqual(await fresh.get(ref), foldPlan(events));
  t.deepEqual(await live.get(ref), foldPlan(events), 'the process that wrote it reads it from memory');
});

test('RedisProjectionState › follows a state another instance moved on (a hand-over), and a deleted plan reads as null', async (t) => {
  const { ref, events } = await planWithHistory(12, { deleted: true });
  const first = new RedisProjectionState(redis, keys, 'asof', { log });
  const second = new RedisProjectionState(redis, keys, 'asof', { log });
  await project(first, ref, events.slice(0, 6));
  await project(second, ref, events.slice(6, 9));
  t.deepEqual(await first.get(ref), foldPlan(events.slice(0, 9)), 'the version in Redis moved: the first reads it again');
  await project(first, ref, events.slice(9));
  t.deepEqual(await second.get(ref), { version: 12, document: null });
});

test('RedisProjectionState › reads states of earlier releases (a document without its version, or at one), and its next write drops their document; without a log every state carries its document', async (t) => {
  const { ref, events } = await planWithHistory(4);
  const whole = foldPlan(events.slice(0, 3));
  const key = keys.projectionState('directory', ref);
  await redis.hset(key, 'version', '3', 'document', JSON.stringify(whole.document));
  const state = new RedisProjectionState(redis, keys, 'directory', { log });
  t.deepEqual(await state.get(ref), whole);
  await project(state, ref, events.slice(3));
  t.deepEqual(await redis.hgetall(key), { version: '4' });
  await redis.hset(key, 'version', '4', 'documentVersion', '2', 'document', JSON.stringify(foldPlan(events.slice(0, 2)).document));
  t.deepEqual(await new RedisProjectionState(redis, keys, 'directory', { log }).get(ref), foldPlan(events), 'the document at 2 folded on to 4');
  const plain = new RedisProjectionState(redis, keys, 'legacy');
  await project(plain, ref, events);
  t.is(await redis.hget(keys.projectionState('legacy', ref), 'documentVersion'), '4');
  t.deepEqual(await new RedisProjectionState(redis, keys, 'legacy').get(ref), foldPlan(events));
});

test('RedisProjectionState › a document newer than the version (an older instance of an earlier release wrote last) is read at its version', async (t) => {
  const { ref, events } = await planWithHistory(5);
  await redis.hset(keys.projectionState('search', ref), 'version', '3', 'documentVersion', '5', 'document', JSON.stringify(foldPlan(events).document));
  t.deepEqual(await new RedisProjectionState(redis, keys, 'search', { log }).get(ref), foldPlan(events));
});

test('RedisProjectionState › past its memory budget it reads states back from the log, with the same result', async (t) => {
  const plans = await Promise.all([planWithHistory(20), planWithHistory(20)]);
  const tight = new RedisProjectionState(redis, keys, 'search', { log, cacheBytes: 1 });
  for (const { ref, events } of plans) await project(tight, ref, events);
  for (const { ref, events } of plans) t.deepEqual(await tight.get(ref), foldPlan(events));
});
