import { randomUUID } from 'node:crypto';
import test from 'ava';
import { assertDurableRedis, createRedisKeys, RedisEventLog, RedisPartitionLog, RedisTemporalState, serversOf, type RedisKeys } from '../src/adapters/redis/index.js';
import { EVENT_SCHEMA_VERSION, WriteUnconfirmed, type PlanDocument, type PlanEvent, type PlanRef } from '../src/index.js';
import { clusterScript, connectTestCluster as connect, shardOf } from './redisClusterContext.js';
import { deleteKeys, keysUnder, randomPrefix } from './redisTestContext.js';

// The cluster of scripts/redis-cluster.sh is up (npm test starts it for this kind); these tests
// kill and restart its nodes through the script, and leave all six up and the cluster ok.

const planIn = (keys: RedisKeys, partition: number): PlanRef => {
  for (;;) {
    const plan = { org: 'example.com', planId: `plan-${randomUUID()}` };
    if (keys.partitionOf(plan) === partition) return plan;
  }
};

function eventOf(plan: PlanRef, version: number): { event: PlanEvent; document: PlanDocument } {
  const document = { objectId: plan.planId, objectType: 'plan', _org: plan.org, planType: 'inNetwork', counter: version } as PlanDocument;
  const event: PlanEvent = {
    planId: plan.planId,
    version,
    type: version === 1 ? 'created' : 'patched',
    patch: version === 1 ? [{ op: 'add', path: '', value: document }] : [{ op: 'replace', path: '/counter', value: version }],
    actor: 'cluster-test',
    org: plan.org,
    at: new Date().toISOString(),
    requestId: randomUUID(),
    schemaVersion: EVENT_SCHEMA_VERSION,
  };
  return { event, document };
}

interface Acknowledged {
  readonly plan: PlanRef;
  readonly version: number;
  readonly position: string;
  readonly json: string;
}

test.serial('a master SIGKILLed under appends › its replica takes over, and every acknowledged append is in the log once, at its version', async (t) => {
  const redis = connect();
  const prefix = randomPrefix('cluster-failover');
  const keys = createRedisKeys({ prefix, partitions: 4 });
  const log = new RedisEventLog(redis, keys, { replicaAcks: { count: 1, timeoutMs: 2_000 } });
  const plans = Array.from({ length: 16 }, () => planIn(keys, 0));
  const before = await shardOf(redis, keys.log(0));
  const acknowledged: Acknowledged[] = [];
  const failures: string[] = [];
  let killedAt = 0;
  let firstAckAfterKill = 0;
  let stop = false;
  const writer = async (plan: PlanRef) => {
    while (!stop) {
      try {
        const version = ((await log.head(plan))?.version ?? 0) + 1;
        const { event, document } = eventOf(plan, version);
        const result = await log.append({ event, document });
        if (result.kind !== 'appended') throw new Error(`unexpected ${result.kind}`);
        acknowledged.push({ plan, version, position: result.position, json: JSON.stringify(event) });
        if (killedAt > 0 && firstAckAfterKill === 0) firstAckAfterKill = Date.now();
      } catch (error) {
        // Not acknowledged: it may or may not be in the log; the next round reads the head again.
        failures.push((error as Error).message);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  try {
    const writers = plans.map((plan) => writer(plan));
    while (acknowledged.length < 200) await new Promise((resolve) => setTimeout(resolve, 20));
    const ackedBeforeKill = acknowledged.length;
    await clusterScript('kill', String(before.master));
    killedAt = Date.now();
    // The replica is promoted after cluster-node-timeout; until then appends to the slot fail.
    let after = before;
    for (const deadline = Date.now() + 60_000; after.master === before.master && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      // While the old master is failing, no live master serves the slot yet.
      after = await shardOf(redis, keys.log(0)).catch(() => before);
    }
    const promotedAt = Date.now();
    t.not(after.master, before.master, 'another node serves the slot');
    t.true(before.replicas.includes(after.master), 'the promoted node was the killed master’s replica');
    // Alone, the promoted master cannot have an append confirmed by a replica: the killed node
    // comes back as its replica, and appends are acknowledged again.
    await clusterScript('restart', String(before.master));
    const rejoinedAt = Date.now();
    for (const deadline = Date.now() + 60_000; acknowledged.length < ackedBeforeKill + 400 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
    stop = true;
    await Promise.all(writers);
    t.not(firstAckAfterKill, 0, 'appends continued after the failover');
    t.true(acknowledged.length >= ackedBeforeKill + 400, 'appends go on on the promoted master');
    t.true(failures.length > 0, 'appends failed while the slot had no confirmed master');
    t.log(`${acknowledged.length} appends acknowledged, ${failures.length} failed; replica promoted ${promotedAt - killedAt} ms after the kill; old master back as a replica ${rejoinedAt - killedAt} ms after; first acknowledged append after the kill at ${firstAckAfterKill - killedAt} ms`);
    t.log(`failures seen: ${[...new Set(failures)].slice(0, 5).join(' | ')}`);

    // Every acknowledged append is in the partition's stream at the position it was given, once.
    const partitionLog = new RedisPartitionLog(redis, keys);
    const stream = await partitionLog.read(0, { after: null, count: 1_000_000 });
    const byPosition = new Map(stream.map((entry) => [entry.position, entry.json]));
    const missing = acknowledged.filter((ack) => byPosition.get(ack.position) !== ack.json);
    t.deepEqual(missing, [], 'no acknowledged append is missing');
    // Each plan's history is versions 1..n, each once, and holds its acknowledged events at their versions.
    for (const plan of plans) {
      const events = await log.events(plan);
      t.deepEqual(events.map((event) => event.version), Array.from({ length: events.length }, (_, i) => i + 1), `${plan.planId}: no gap, no repeat`);
      const inStream = stream.filter((entry) => (JSON.parse(entry.json) as PlanEvent).planId === plan.planId).length;
      t.is(inStream, events.length, `${plan.planId}: the stream holds each of its events once`);
      for (const ack of acknowledged.filter((a) => a.plan === plan)) t.is(JSON.stringify(events[ack.version - 1]), ack.json, `${plan.planId} v${ack.version}`);
      t.is((await log.head(plan))?.version, events.length, `${plan.planId}: the head is the last event`);
    }
  } finally {
    stop = true;
    await clusterScript('restart', String(before.master));
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
});

test.serial('a master whose replicas are down › an append to its slot is not acknowledged (WriteUnconfirmed), and is once they are back', async (t) => {
  const redis = connect();
  const prefix = randomPrefix('cluster-unconfirmed');
  const keys = createRedisKeys({ prefix, partitions: 4 });
  const log = new RedisEventLog(redis, keys, { replicaAcks: { count: 1, timeoutMs: 300 } });
  const plan = planIn(keys, 1);
  const shard = await shardOf(redis, keys.log(1));
  t.true(shard.replicas.length > 0, 'the master has a replica to stop');
  try {
    for (const replica of shard.replicas) await clusterScript('kill', String(replica));
    const first = eventOf(plan, 1);
    const error = await t.throwsAsync(log.append(first));
    t.true(error instanceof WriteUnconfirmed, `a distinct error (${error?.message})`);
    t.is((error as WriteUnconfirmed).code, 'WRITE_UNCONFIRMED');
  } finally {
    for (const replica of shard.replicas) await clusterScript('restart', String(replica));
  }
  try {
    // The unconfirmed write reached the master; with the replica back a write after it is confirmed.
    // WAIT answers as soon as the replica acknowledges, so the longer timeout costs nothing when
    // it does; 300 ms was too short for a replica just back on a loaded host (a flaky CI failure).
    const head = await log.head(plan);
    t.is(head?.version, 1, 'the unconfirmed append is on the master');
    const patient = new RedisEventLog(redis, keys, { replicaAcks: { count: 1, timeoutMs: 10_000 } });
    const second = await patient.append(eventOf(plan, 2));
    t.is(second.kind, 'appended');
  } finally {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
});

test.serial('RedisTemporalState.drop › removes a target’s records on every master, and nothing else', async (t) => {
  const redis = connect();
  const prefix = randomPrefix('cluster-drop');
  const keys = createRedisKeys({ prefix, partitions: 16 });
  try {
    const dropped = new RedisTemporalState(redis, keys, 'index-a');
    const kept = new RedisTemporalState(redis, keys, 'index-b');
    const plans = Array.from({ length: 16 }, (_, partition) => planIn(keys, partition));
    for (const plan of plans) {
      await dropped.set(plan, { version: 1, at: 1, opened: new Map([['a', { fromVersion: 1, validFrom: 1 }]]), closed: [] });
      await kept.set(plan, { version: 1, at: 1, opened: new Map([['a', { fromVersion: 1, validFrom: 1 }]]), closed: [] });
    }
    const masters = new Set(await Promise.all(plans.map(async (plan) => (await shardOf(redis, keys.targetState('index-a', plan))).master)));
    t.true(masters.size >= 2, 'the records are spread over several masters');
    await RedisTemporalState.drop(redis, keys, 'index-a');
    const left = await keysUnder(redis, prefix);
    t.deepEqual(left.filter((key) => key.includes(':target:index-a:')), []);
    t.is(left.filter((key) => key.includes(':target:index-b:')).length, plans.length);
    for (const plan of plans) t.is((await dropped.get(plan)).version, 0);
  } finally {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
});

test.serial('assertDurableRedis › checks every master and replica: one replica without appendfsync always is refused', async (t) => {
  const redis = connect();
  try {
    await t.notThrowsAsync(assertDurableRedis(redis, { allowNonDurable: false }));
    const port = (await shardOf(redis, 'any-key')).replicas[0];
    const node = (await serversOf(redis)).find((server) => server.options.port === port);
    if (node === undefined) return t.fail('no replica to change');
    await node.config('SET', 'appendfsync', 'everysec');
    try {
      await t.throwsAsync(assertDurableRedis(redis, { allowNonDurable: false }), { message: new RegExp(`127\\.0\\.0\\.1:${port}.*appendfsync=everysec`) });
    } finally {
      await node.config('SET', 'appendfsync', 'always');
    }
  } finally {
    redis.disconnect();
  }
});

test.after.always('the cluster is left healthy', async () => {
  await clusterScript('status');
});
