import test from 'ava';
import { comparePositions, InMemoryEventLog, InMemoryMessageSource, InMemoryProjectionState, silentLogger, type PlanChange } from '@planledger/core';
import { consumeProjection, type ProjectionConsumer } from '../src/consumeProjection.js';
import { createProjectionRunner } from '../src/createProjectionRunner.js';
import { appendVersions, recordingTarget, until } from './projectionTestKit.js';

/** Two projector instances of one projection over one broker twin, one state and one target. */
async function givenTwoInstances({ fail }: { fail?: (change: PlanChange) => Error | null } = {}) {
  const log = new InMemoryEventLog(2);
  const source = new InMemoryMessageSource(2, 5);
  const state = new InMemoryProjectionState();
  const target = recordingTarget(fail);
  const saved = new Map<number, string>();
  const written: { partition: number; position: string }[] = [];
  const instance = () =>
    consumeProjection({
      source,
      projection: 'test',
      runner: createProjectionRunner({ log, state, target, logger: silentLogger }),
      setCheckpoint: async (partition, position) => {
        written.push({ partition, position });
        saved.set(partition, position);
      },
      checkpoint: async (partition) => saved.get(partition) ?? null,
      partitions: [],
      logger: silentLogger,
      isTransient: (error) => error instanceof Error && error.message === 'ES down',
      sleep: () => new Promise((r) => setImmediate(r)),
    });
  const versionsApplied = (planId: string) => target.changes.filter((c) => c.event.planId === planId).map((c) => c.after.version);
  return { log, source, state, target, saved, written, instance, versionsApplied };
}

const publishAll = (source: InMemoryMessageSource, entries: { event: unknown; position: string; partition: number }[]) =>
  entries.forEach(({ event, position, partition }) => source.publish(partition, JSON.stringify(event), position));

test('consumer hand-over › a consumer starts only the partitions it is given and reports them', async (t) => {
  const kit = await givenTwoInstances();
  const consumer = await kit.instance();
  t.deepEqual(consumer.partitions(), []);
  await consumer.start(1);
  await consumer.start(1);
  t.deepEqual(consumer.partitions(), [1]);
  await consumer.stop();
});

test('consumer hand-over › the old owner finishes what it holds and checkpoints before the new one starts; every version lands once, in order', async (t) => {
  const kit = await givenTwoInstances();
  const first = await kit.instance();
  await first.start(0);
  await first.start(1);
  const entries = (await Promise.all(['p', 'q', 'r', 's'].map((plan) => appendVersions(kit.log, plan, 30)))).flat();
  publishAll(kit.source, entries.slice(0, 60));
  t.true(await until(() => kit.target.changes.length > 0));
  await first.handOver(0);
  t.deepEqual(first.partitions(), [1]);
  const inZero = entries.filter((e) => e.partition === 0);
  // Everything it took from partition 0 settled: the checkpoint is at the last of them.
  const taken = inZero.filter((e) => e.event.version <= (kit.versionsApplied(e.event.planId).at(-1) ?? 0)).map((e) => e.position);
  t.is(kit.saved.get(0), taken.sort(comparePositions).at(-1));
  const second: ProjectionConsumer = await kit.instance();
  await second.start(0); // the broker twin refuses a second active consumer: the first really let go
  publishAll(kit.source, entries.slice(60));
  t.true(await until(() => kit.source.depth(0) === 0 && kit.source.depth(1) === 0 && kit.target.changes.at(-1) !== undefined && ['p', 'q', 'r', 's'].every((plan) => kit.versionsApplied(plan).at(-1) === 30)));
  for (const plan of ['p', 'q', 'r', 's']) {
    const versions = kit.versionsApplied(plan);
    t.deepEqual(versions, [...versions].sort((a, b) => a - b), `${plan} in order`);
    t.is(new Set(versions).size, versions.length, `${plan}: no version written twice`);
  }
  await first.stop();
  await second.stop();
  const lastOfZero = inZero.at(-1)!.position;
  t.is(kit.saved.get(0), lastOfZero, 'checkpoint at the end of partition 0');
});

test('consumer hand-over › while a dependency is down, the messages in hand are returned, not held: the next owner applies them', async (t) => {
  let down = true;
  const kit = await givenTwoInstances({ fail: () => (down ? new Error('ES down') : null) });
  const first = await kit.instance();
  const plan = await appendVersions(kit.log, 'p', 3);
  const partition = plan[0]!.partition;
  await first.start(partition);
  publishAll(kit.source, plan);
  await new Promise((r) => setTimeout(r, 20));
  await first.handOver(partition);
  t.is(kit.target.changes.length, 0);
  t.is(kit.source.depth(partition), plan.length, 'returned to the queue');
  t.is(kit.saved.get(partition), undefined, 'no checkpoint past them');
  down = false;
  const second = await kit.instance();
  await second.start(partition);
  t.true(await until(() => kit.source.depth(partition) === 0));
  t.deepEqual(kit.target.changes.map((c) => c.after.version).at(-1), 3);
  await first.stop();
  await second.stop();
});

test('consumer hand-over › the checkpoint never goes back before the one saved, even when a duplicate of an older entry settles first', async (t) => {
  const kit = await givenTwoInstances();
  const entries = await appendVersions(kit.log, 'p', 4);
  const partition = entries[0]!.partition;
  const consumer = await kit.instance();
  kit.saved.set(partition, entries.at(-1)!.position);
  await consumer.start(partition);
  publishAll(kit.source, [entries[0]!]); // a relay re-published an old entry
  t.true(await until(() => kit.source.depth(partition) === 0));
  await consumer.handOver(partition);
  t.deepEqual(kit.written, [], 'nothing older than the saved checkpoint was written');
  t.is(kit.saved.get(partition), entries.at(-1)!.position);
});
