import test from 'ava';
import { EVENT_SCHEMA_VERSION, refOf, refOfPlan, silentLogger, type PlanEvent } from '@planledger/core';
import { createRedisKeys, RedisEventLog } from '@planledger/core/redis';
import { createBrokerRelay } from '../src/createBrokerRelay.js';
import { aPlan } from '../../core/test/planMother.js';
import { connectTestRedis, deleteKeys, randomPrefix } from '../../core/test/redisTestContext.js';
import { consumeUntil, declareTestTopology } from './brokerTestContext.js';

const PARTITIONS = 4;
const redis = connectTestRedis();
const prefix = randomPrefix('relay');
const keys = createRedisKeys({ prefix, partitions: PARTITIONS });
const log = new RedisEventLog(redis, keys);
const broker = await declareTestTopology(PARTITIONS);

test.after.always(async () => {
  await broker.remove();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

const eventOf = (planId: string, version: number): PlanEvent => ({
  planId,
  version,
  type: version === 1 ? 'created' : 'patched',
  patch: [],
  actor: 'tester',
  org: 'example.com',
  at: new Date().toISOString(),
  requestId: `r-${version}`,
  schemaVersion: EVENT_SCHEMA_VERSION,
});

test('relay › publishes every log entry to its partition queue in order, and acks the log', async (t) => {
  const plans = Array.from({ length: 6 }, () => aPlan());
  for (const plan of plans) for (let v = 1; v <= 3; v += 1) await log.append({ event: eventOf(plan.objectId, v), document: plan });

  const blocking = redis.duplicate();
  const channel = await broker.connection.createConfirmChannel();
  const relay = createBrokerRelay({ redis: blocking, keys, channel, topology: broker.topology, consumer: 'relay-test', blockMs: 100, logger: silentLogger });
  const running = relay.run();

  const received = new Map<string, number[]>();
  const reader = await broker.connection.createChannel();
  for (let partition = 0; partition < PARTITIONS; partition += 1) {
    const expected = plans.filter((plan) => keys.partitionOf(refOfPlan(plan)) === partition).length * 3;
    if (expected === 0) continue;
    const messages = await consumeUntil(reader, broker.topology.queue('search', partition), (got) => got.length >= expected);
    for (const message of messages) {
      const event = JSON.parse(message.content.toString()) as PlanEvent;
      t.is(keys.partitionOf(refOf(event)), partition, 'routed to its partition');
      t.is(message.properties.deliveryMode, 2, 'persistent');
      received.set(event.planId, [...(received.get(event.planId) ?? []), event.version]);
    }
  }
  await relay.stop();
  await running;
  blocking.disconnect();

  t.is(received.size, 6);
  for (const versions of received.values()) t.deepEqual(versions, [1, 2, 3]);
  for (let partition = 0; partition < PARTITIONS; partition += 1) {
    const pending = (await redis.xpending(keys.log(partition), 'relay')) as [number, ...unknown[]];
    t.is(pending[0], 0, `partition ${partition} has nothing pending`);
  }
  const directoryQueues = await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => reader.checkQueue(broker.topology.queue('directory', p))));
  t.is(directoryQueues.reduce((sum, q) => sum + q.messageCount, 0), 18, 'the directory projection got its own copy of every event');
});

test('relay › takes over a partition whose relay died between publish and XACK, and publishes what it left pending', async (t) => {
  const prefix2 = randomPrefix('relay-crash');
  const keys2 = createRedisKeys({ prefix: prefix2, partitions: 1 });
  const log2 = new RedisEventLog(redis, keys2);
  const broker2 = await declareTestTopology(1);
  t.teardown(async () => {
    await broker2.remove();
    await deleteKeys(redis, prefix2);
  });
  const plan = aPlan();
  for (let v = 1; v <= 4; v += 1) await log2.append({ event: eventOf(plan.objectId, v), document: plan });
  // A relay read everything, published it (or not), and died before XACK, still holding its lease.
  await redis.xgroup('CREATE', keys2.log(0), 'relay', '0', 'MKSTREAM');
  await redis.xreadgroup('GROUP', 'relay', 'dead-relay', 'COUNT', 100, 'STREAMS', keys2.log(0), '>');
  await redis.set(keys2.lease('relay', 0), 'dead-relay', 'PX', 400);

  const blocking = redis.duplicate();
  const relay = createBrokerRelay({ redis: blocking, keys: keys2, channel: await broker2.connection.createConfirmChannel(), topology: broker2.topology, consumer: 'relay-b', blockMs: 100, leaseMs: 600, logger: silentLogger });
  const running = relay.run();
  const messages = await consumeUntil(await broker2.connection.createChannel(), broker2.topology.queue('search', 0), (got) => got.length >= 4);
  await relay.stop();
  await running;
  blocking.disconnect();
  t.deepEqual(messages.map((m) => (JSON.parse(m.content.toString()) as PlanEvent).version), [1, 2, 3, 4], 'in log order');
  const pending = (await redis.xpending(keys2.log(0), 'relay')) as [number, ...unknown[]];
  t.is(pending[0], 0, 'nothing left pending');
  t.is(await redis.get(keys2.lease('relay', 0)), null, 'the lease is released on stop');
});

test('relay › two instances serve disjoint partitions and every event gets published', async (t) => {
  const prefix3 = randomPrefix('relay-pair');
  const keys3 = createRedisKeys({ prefix: prefix3, partitions: PARTITIONS });
  const log3 = new RedisEventLog(redis, keys3);
  const broker3 = await declareTestTopology(PARTITIONS);
  t.teardown(async () => {
    await broker3.remove();
    await deleteKeys(redis, prefix3);
  });
  const start = async (consumer: string) => {
    const blocking = redis.duplicate();
    const relay = createBrokerRelay({ redis: blocking, keys: keys3, channel: await broker3.connection.createConfirmChannel(), topology: broker3.topology, consumer, blockMs: 100, leaseMs: 3000, logger: silentLogger });
    return { relay, running: relay.run(), blocking };
  };
  const a = await start('relay-a');
  const b = await start('relay-b');
  const plans = Array.from({ length: 12 }, () => aPlan());
  for (const plan of plans) await log3.append({ event: eventOf(plan.objectId, 1), document: plan });
  const seen = new Set<string>();
  const reader = await broker3.connection.createChannel();
  for (let partition = 0; partition < PARTITIONS; partition += 1) {
    const expected = plans.filter((plan) => keys3.partitionOf(refOfPlan(plan)) === partition).length;
    if (expected === 0) continue;
    const messages = await consumeUntil(reader, broker3.topology.queue('search', partition), (got) => got.length >= expected);
    for (const m of messages) seen.add((JSON.parse(m.content.toString()) as PlanEvent).planId);
  }
  const ownedA = a.relay.owned();
  const ownedB = b.relay.owned();
  for (const instance of [a, b]) {
    await instance.relay.stop();
    await instance.running;
    instance.blocking.disconnect();
  }
  t.is(seen.size, plans.length);
  t.deepEqual([...ownedA, ...ownedB].sort(), Array.from({ length: PARTITIONS }, (_, p) => p), 'every partition has exactly one owner');
});
