import test from 'ava';
import { foldPlan, refOfPlan, type PlanEvent } from '@planledger/core';
import { createRedisKeys, RedisEventLog } from '@planledger/core/redis';
import { relayoutLog } from '../src/relayoutLog.js';
import { aPlan } from '../../core/test/planMother.js';
import { connectTestRedis, deleteKeys, randomPrefix } from '../../core/test/redisTestContext.js';

const redis = connectTestRedis();
const oldPrefix = randomPrefix('oldlayout');
const newPrefix = randomPrefix('newlayout');
test.after.always(async () => {
  await deleteKeys(redis, oldPrefix);
  await deleteKeys(redis, newPrefix);
  redis.disconnect();
});

const event = (planId: string, org: string, version: number, type: PlanEvent['type'], patch: PlanEvent['patch']): PlanEvent => ({
  planId, version, type, patch, actor: 'old', org, at: new Date(Date.UTC(2026, 0, 1, 0, 0, version)).toISOString(), requestId: `r${version}`, schemaVersion: 1,
});

test('relayoutLog › copies an older layout’s log (one objectId in two orgs) into per-org plans, and a second run copies nothing', async (t) => {
  const ours = aPlan();
  const theirs = aPlan({ id: ours.objectId, org: 'other.example' });
  // The older layout: partition streams `<prefix>:{pN}:log` with fields planId, version, event.
  const write = (partition: number, e: PlanEvent) => redis.xadd(`${oldPrefix}:{p${partition}}:log`, '*', 'planId', e.planId, 'version', String(e.version), 'event', JSON.stringify(e));
  await write(1, event(ours.objectId, 'example.com', 1, 'created', [{ op: 'add', path: '', value: ours }]));
  await write(1, event(ours.objectId, 'other.example', 1, 'created', [{ op: 'add', path: '', value: theirs }]));
  await write(1, event(ours.objectId, 'example.com', 2, 'patched', [{ op: 'replace', path: '/planType', value: 'changed' }]));
  await write(3, event(`${ours.objectId}-b`, 'example.com', 1, 'created', [{ op: 'add', path: '', value: aPlan({ id: `${ours.objectId}-b` }) }]));
  const to = new RedisEventLog(redis, createRedisKeys({ prefix: newPrefix, partitions: 4 }));

  t.deepEqual(await relayoutLog({ redis, fromPrefix: oldPrefix, fromPartitions: 4, to, batchSize: 2 }), { copied: 4, skipped: 0 });
  const head = await to.head(refOfPlan(ours));
  t.like(head, { version: 2, document: { ...ours, planType: 'changed' } });
  t.deepEqual(foldPlan(await to.events(refOfPlan(ours))).document, head?.document);
  t.like(await to.head(refOfPlan(theirs)), { version: 1, document: theirs });
  t.is((await to.events(refOfPlan(theirs)))[0]?.actor, 'old', 'events are copied unchanged');
  t.deepEqual(await relayoutLog({ redis, fromPrefix: oldPrefix, fromPartitions: 4, to }), { copied: 0, skipped: 4 });
});

test('relayoutLog › copies a log of the two-copy layout (stream fields plan, version, event plus a history list) into one copy per event', async (t) => {
  const from = randomPrefix('twocopy');
  const into = randomPrefix('onecopy');
  const plan = aPlan();
  const ref = refOfPlan(plan);
  try {
    // The layout before one copy per event: the stream entry and the plan's history list both held the event.
    const events = [
      event(plan.objectId, 'example.com', 1, 'created', [{ op: 'add', path: '', value: plan }]),
      ...Array.from({ length: 4 }, (_, i) => event(plan.objectId, 'example.com', i + 2, 'patched', [{ op: 'replace', path: '/planType', value: `t${i + 2}` }])),
    ];
    for (const e of events) {
      await redis.xadd(`${from}:{p0}:log`, '*', 'plan', `example.com/${plan.objectId}`, 'version', String(e.version), 'event', JSON.stringify(e));
      await redis.rpush(`${from}:{p0}:history:example.com/${plan.objectId}`, JSON.stringify(e));
    }
    const keys = createRedisKeys({ prefix: into, partitions: 2 });
    const to = new RedisEventLog(redis, keys, { snapshotEvery: 2 });
    t.deepEqual(await relayoutLog({ redis, fromPrefix: from, fromPartitions: 1, to }), { copied: 5, skipped: 0 });
    t.deepEqual(await to.events(ref), events);
    const entries = await redis.xrange(keys.log(keys.partitionOf(ref)), '-', '+');
    t.true(entries.every(([, fields]) => fields.length === 2 && fields[0] === 'event'), 'one field per entry');
    // Time travel uses the events' own times (2026-01-01T00:00:0Ns), not when the copy ran.
    t.is(await to.versionAt(ref, new Date(Date.UTC(2026, 0, 1, 0, 0, 3, 500))), 3);
    t.is((await to.stateAt(ref, 3)).document?.planType, 't3');
  } finally {
    await deleteKeys(redis, from);
    await deleteKeys(redis, into);
  }
});
