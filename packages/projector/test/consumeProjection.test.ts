import test from 'ava';
import { comparePositions, InMemoryEventLog, InMemoryMessageSource, InMemoryProjectionState, silentLogger, type PlanChange, type SourceMessage } from '@planledger/core';
import { consumeProjection } from '../src/consumeProjection.js';
import { createProjectionRunner } from '../src/createProjectionRunner.js';
import { appendVersions, recordingTarget, until } from './projectionTestKit.js';

async function givenConsumer(options: { fail?: (change: PlanChange) => Error | null; isTransient?: (error: unknown) => boolean; deliveryLimit?: number; recordDeadLetter?: (letter: { message: SourceMessage; error: string }) => Promise<void> } = {}) {
  const log = new InMemoryEventLog(1);
  const source = new InMemoryMessageSource(1, options.deliveryLimit ?? 2);
  const state = new InMemoryProjectionState();
  const target = recordingTarget(options.fail);
  const checkpoints: string[] = [];
  const sleeps: number[] = [];
  const outcomes: string[] = [];
  const consumer = await consumeProjection({
    source,
    projection: 'test',
    runner: createProjectionRunner({ log, state, target, logger: silentLogger }),
    setCheckpoint: async (_partition, position) => void checkpoints.push(position),
    logger: silentLogger,
    sleep: async (ms) => void sleeps.push(ms),
    onHandled: (outcome) => void outcomes.push(outcome),
    ...(options.isTransient ? { isTransient: options.isTransient } : {}),
    ...(options.recordDeadLetter ? { recordDeadLetter: options.recordDeadLetter } : {}),
  });
  const publish = (entries: { event: unknown; position: string }[], redelivered = false) => entries.forEach(({ event, position }) => source.publish(0, JSON.stringify(event), position, { redelivered }));
  return { log, source, state, target, checkpoints, sleeps, outcomes, consumer, publish };
}

test('consumer › a burst of one plan is written as few coalesced changes, every message acked, checkpoint at the last', async (t) => {
  const kit = await givenConsumer();
  const entries = await appendVersions(kit.log, 'p', 40);
  kit.publish(entries);
  t.true(await until(() => kit.checkpoints.at(-1) === entries.at(-1)!.position));
  t.true(kit.target.changes.length < 10, `${kit.target.changes.length} changes for 40 versions`);
  t.is(kit.target.changes.at(-1)?.after.version, 40);
  t.is(kit.target.changes.at(-1)?.after.document?.planType, 'type-40');
  for (let i = 1; i < kit.target.changes.length; i += 1) t.is(kit.target.changes[i]!.before.version, kit.target.changes[i - 1]!.after.version, 'changes chain');
  t.is(kit.source.depth(0), 0, 'every message settled');
  t.is(kit.outcomes.filter((o) => o === 'applied').length, 40);
  // Events settled together are checkpointed together: a few writes, each further on than the last.
  t.true(kit.checkpoints.length <= 2 * kit.target.changes.length, `${kit.checkpoints.length} checkpoint writes for ${kit.target.changes.length} changes`);
  for (let i = 1; i < kit.checkpoints.length; i += 1) t.true(comparePositions(kit.checkpoints[i]!, kit.checkpoints[i - 1]!) > 0, 'checkpoints move forward');
  await kit.consumer.stop();
});

test('consumer › redelivered events (a consumer died holding them) are applied one version at a time, never folded', async (t) => {
  const kit = await givenConsumer();
  const entries = await appendVersions(kit.log, 'p', 12);
  kit.publish(entries, true);
  t.true(await until(() => kit.checkpoints.at(-1) === entries.at(-1)!.position));
  t.deepEqual(kit.target.changes.map((c) => [c.before.version, c.after.version]), Array.from({ length: 12 }, (_, i) => [i, i + 1]));
  t.is(kit.source.depth(0), 0, 'every message settled');
  await kit.consumer.stop();
});

test('consumer › duplicates are acked without writing', async (t) => {
  const kit = await givenConsumer();
  const entries = await appendVersions(kit.log, 'p', 2);
  kit.publish(entries);
  t.true(await until(() => kit.checkpoints.at(-1) === entries[1]!.position));
  const written = kit.target.changes.length;
  kit.publish(entries);
  t.true(await until(() => kit.outcomes.filter((o) => o === 'duplicate').length === 2));
  t.is(kit.target.changes.length, written);
  t.is(kit.source.depth(0), 0);
  await kit.consumer.stop();
});

test('consumer › different plans proceed while one waits for a dependency, which is retried with growing backoff and nothing dead-lettered', async (t) => {
  let down = 3;
  const kit = await givenConsumer({ fail: (change) => (change.event.planId === 'slow' && down-- > 0 ? new Error('ES down') : null), isTransient: () => true });
  const slow = await appendVersions(kit.log, 'slow', 1);
  const fast = await appendVersions(kit.log, 'fast', 1);
  kit.publish([...slow, ...fast]);
  t.true(await until(() => kit.target.changes.length === 2));
  t.deepEqual(kit.target.changes.map((c) => c.event.planId), ['fast', 'slow']);
  t.deepEqual(kit.sleeps, [200, 400, 800]);
  t.deepEqual(kit.source.deadLetters, []);
  t.true(await until(() => kit.checkpoints.at(-1) === fast[0]!.position));
  await kit.consumer.stop();
});

test('consumer › a poison event is returned, dead-lettered past the delivery limit, and holds the checkpoint until then', async (t) => {
  const kit = await givenConsumer({ fail: (change) => (change.event.planId === 'poison' ? new Error('bad patch') : null), isTransient: () => false, deliveryLimit: 2 });
  const poison = await appendVersions(kit.log, 'poison', 1);
  const good = await appendVersions(kit.log, 'good', 1);
  kit.publish([...poison, ...good]);
  t.true(await until(() => kit.source.deadLetters.length === 1));
  t.is(kit.source.deadLetters[0]?.returned, 2, 'delivered limit + 1 times');
  t.deepEqual(kit.target.changes.map((c) => c.event.planId), ['good']);
  t.true(await until(() => kit.checkpoints.at(-1) === good[0]!.position));
  t.is(kit.outcomes.filter((o) => o === 'failed').length, 3);
  await kit.consumer.stop();
});

test('consumer › when a coalesced batch fails, its events are retried one by one so only the culprit is returned', async (t) => {
  const kit = await givenConsumer({ fail: (change) => (change.after.version >= 3 ? new Error('version 3 is poison') : null), isTransient: () => false, deliveryLimit: 0 });
  const entries = await appendVersions(kit.log, 'p', 4);
  kit.publish(entries);
  t.true(await until(() => kit.source.depth(0) === 0 && kit.source.deadLetters.length >= 1));
  t.is(kit.target.changes.at(-1)?.after.version, 2, 'versions up to 2 applied');
  t.true(kit.source.deadLetters.every((m) => JSON.parse(m.body).version >= 3), 'only versions that cannot apply are dead-lettered');
  await kit.consumer.stop();
});

test('consumer › a message that is not JSON is dead-lettered and does not hold the checkpoint', async (t) => {
  const kit = await givenConsumer();
  const entries = await appendVersions(kit.log, 'p', 1);
  kit.source.publish(0, '{not json', '0-1');
  kit.publish(entries);
  t.true(await until(() => kit.checkpoints.at(-1) === entries[0]!.position));
  t.is(kit.source.deadLetters[0]?.body, '{not json');
  await kit.consumer.stop();
});

test('consumer › with a dead-letter store, a poison event is recorded with its error and delivery count, then acked (not also in the dead-letter queue)', async (t) => {
  const recorded: { message: SourceMessage; error: string }[] = [];
  const kit = await givenConsumer({
    fail: (change) => (change.event.planId === 'poison' ? new Error('bad patch') : null),
    isTransient: () => false,
    deliveryLimit: 2,
    recordDeadLetter: async (letter) => void recorded.push(letter),
  });
  const poison = await appendVersions(kit.log, 'poison', 1);
  const good = await appendVersions(kit.log, 'good', 1);
  kit.publish([...poison, ...good]);
  t.true(await until(() => recorded.length === 1 && kit.source.depth(0) === 0));
  t.like(recorded[0], { error: 'bad patch', message: { position: poison[0]!.position, returned: 2 } });
  t.deepEqual(kit.source.deadLetters, [], 'recorded instead of sent to the queue');
  t.true(await until(() => kit.checkpoints.at(-1) === good[0]!.position));
  await kit.consumer.stop();
});

test('consumer › when recording a dead letter fails, the message is returned to the broker, never dropped', async (t) => {
  let attempts = 0;
  const kit = await givenConsumer({
    fail: () => new Error('bad patch'),
    isTransient: () => false,
    deliveryLimit: 1,
    recordDeadLetter: async () => {
      attempts += 1;
      throw new Error('Redis is read-only');
    },
  });
  const poison = await appendVersions(kit.log, 'poison', 1);
  kit.publish(poison);
  // The broker twin dead-letters it past its own limit: it ends in the queue, where the drain would record it.
  t.true(await until(() => kit.source.deadLetters.length === 1));
  t.true(attempts >= 1);
  t.is(kit.source.depth(0), 0);
  await kit.consumer.stop();
});
