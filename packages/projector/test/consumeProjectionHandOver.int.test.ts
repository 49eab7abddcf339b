import test from 'ava';
import { InMemoryEventLog, InMemoryProjectionState, silentLogger } from '@planledger/core';
import { AmqpMessageSource } from '@planledger/core/rabbitmq';
import { consumeProjection } from '../src/consumeProjection.js';
import { createProjectionRunner } from '../src/createProjectionRunner.js';
import { declareTestTopology } from './brokerTestContext.js';
import { appendVersions, recordingTarget, until } from './projectionTestKit.js';

const broker = await declareTestTopology(2);
test.after.always(() => broker.remove());

test('consumer hand-over on RabbitMQ › after a hand-over the first instance takes nothing more from the partition, the next serves it, and every version lands once, in order', async (t) => {
  const log = new InMemoryEventLog(2);
  const state = new InMemoryProjectionState();
  const targets = [recordingTarget(), recordingTarget()] as const;
  const saved = new Map<number, string>();
  const instance = async (target: (typeof targets)[number]) =>
    consumeProjection({
      source: new AmqpMessageSource(await broker.connection.createChannel(), broker.topology, 'search'),
      projection: 'search',
      runner: createProjectionRunner({ log, state, target, logger: silentLogger }),
      setCheckpoint: async (partition, position) => void saved.set(partition, position),
      checkpoint: async (partition) => saved.get(partition) ?? null,
      partitions: [],
      logger: silentLogger,
    });
  const plans = ['p', 'q', 'r', 's', 't', 'u'];
  const entries = (await Promise.all(plans.map((plan) => appendVersions(log, plan, 25)))).flat();
  const publisher = await broker.connection.createConfirmChannel();
  const publish = async (batch: typeof entries) => {
    for (const { event, position, partition } of batch) publisher.publish(broker.topology.exchange, broker.topology.routingKey(partition), Buffer.from(JSON.stringify(event)), { persistent: true, headers: { position, partition } });
    await publisher.waitForConfirms();
  };
  const first = await instance(targets[0]);
  for (const partition of [0, 1]) await first.start(partition);
  await publish(entries.slice(0, 75));
  t.true(await until(() => targets[0].changes.length > 0, 15_000));
  await first.handOver(0);
  const inZero = new Set(entries.filter((e) => e.partition === 0).map((e) => e.event.planId));
  const byFirstAtHandOver = targets[0].changes.filter((c) => inZero.has(c.event.planId)).length;
  const second = await instance(targets[1]);
  await second.start(0);
  await publish(entries.slice(75));
  const changesOf = (plan: string) => [...targets[0].changes, ...targets[1].changes].filter((c) => c.event.planId === plan);
  const last = (plan: string) => Math.max(0, ...changesOf(plan).map((c) => c.after.version));
  t.true(await until(() => plans.every((plan) => last(plan) === 25), 20_000), JSON.stringify(plans.map(last)));
  t.is(targets[0].changes.filter((c) => inZero.has(c.event.planId)).length, byFirstAtHandOver, 'the first instance took nothing from partition 0 after handing it over');
  t.true(targets[1].changes.length > 0 && targets[1].changes.every((c) => inZero.has(c.event.planId)), 'the second served partition 0 only');
  for (const plan of plans) {
    // The first instance's changes of a plan, then the second's: one sequence.
    const versions = changesOf(plan).map((c) => c.after.version);
    t.deepEqual(versions, [...versions].sort((a, b) => a - b), `${plan} in order`);
    t.is(new Set(versions).size, versions.length, `${plan}: no version written twice`);
  }
  await first.stop();
  await second.stop();
  t.deepEqual([...saved.keys()].sort(), [0, 1].filter((p) => entries.some((e) => e.partition === p)));
});
