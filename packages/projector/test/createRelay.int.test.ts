import test from 'ava';
import { EVENT_SCHEMA_VERSION, silentLogger, type PlanEvent } from '@planledger/core';
import { createRedisKeys, RedisEventLog } from '@planledger/core/redis';
import { createRelay } from '../src/createRelay.js';
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
  const relay = createRelay({ redis: blocking, keys, channel, topology: broker.topology, consumer: 'relay-test', blockMs: 100, logger: silentLogger });
  const running = relay.run();

  const received = new Map<string, number[]>();
  const reader = await broker.connection.createChannel();
  for (let partition = 0; partition < PARTITIONS; partition += 1) {
    const expected = plans.filter((plan) => keys.partitionOf(plan.objectId) === partition).length * 3;
    if (expected === 0) continue;
    const messages = await consumeUntil(reader, broker.topology.queue('search', partition), (got) => got.length >= expected);
    for (const message of messages) {
      const event = JSON.parse(message.content.toString()) as PlanEvent;
      t.is(keys.partitionOf(event.planId), partition, 'routed to its partition');
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
  const redisQueues = await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => reader.checkQueue(broker.topology.queue('redis', p))));
  t.is(redisQueues.reduce((sum, q) => sum + q.messageCount, 0), 18, 'the redis projection got its own copy of every event');
});
