import test from 'ava';
import { InMemoryEventLog, silentLogger, type LogEntry, type PlanEvent } from '@planledger/core';
import { createRelay, type RelayPublisher } from '../src/createRelay.js';
import type { PartitionLeases } from '../src/createPartitionShare.js';
import { appendVersions, until } from './projectionTestKit.js';

const allLeases = (partitions: number): PartitionLeases => ({ refresh: async () => Array.from({ length: partitions }, (_, p) => p), owned: () => Array.from({ length: partitions }, (_, p) => p), releaseAll: async () => undefined });

function recordingPublisher({ refuse = () => false }: { refuse?: () => boolean } = {}): RelayPublisher & { confirmedEntries: LogEntry[] } {
  let unconfirmed: LogEntry[] = [];
  const confirmedEntries: LogEntry[] = [];
  return {
    confirmedEntries,
    publish: (entry) => void unconfirmed.push(entry),
    async confirmed() {
      if (refuse()) throw new Error('broker refused');
      confirmedEntries.push(...unconfirmed);
      unconfirmed = [];
    },
  };
}

test('relay › publishes every entry of every partition in log order and acks only what was confirmed', async (t) => {
  const log = new InMemoryEventLog(2);
  for (const plan of ['a', 'b', 'c']) await appendVersions(log, plan, 3);
  const publisher = recordingPublisher();
  const relay = createRelay({ log: log.partitionLog, publisher, leases: allLeases(2), consumer: 'r1', blockMs: 10, logger: silentLogger });
  const running = relay.run();
  t.true(await until(() => publisher.confirmedEntries.length === 9));
  await appendVersions(log, 'd', 2);
  t.true(await until(() => publisher.confirmedEntries.length === 11), 'tails the log');
  await relay.stop();
  await running;
  const versions = new Map<string, number[]>();
  for (const entry of publisher.confirmedEntries) {
    const event = JSON.parse(entry.json) as PlanEvent;
    versions.set(event.planId, [...(versions.get(event.planId) ?? []), event.version]);
  }
  t.deepEqual([...versions.values()].map((v) => v.join()), ['1,2,3', '1,2,3', '1,2,3', '1,2'].slice(0, versions.size));
  for (const partition of [0, 1]) t.deepEqual(await log.partitionLog.cursor('relay', partition).then((c) => c?.oldestPending ?? null), null, 'nothing pending');
});

test('relay › a refused confirm leaves the batch pending, and the next owner re-publishes it first', async (t) => {
  const log = new InMemoryEventLog(1);
  await appendVersions(log, 'p', 3);
  const failing = createRelay({ log: log.partitionLog, publisher: recordingPublisher({ refuse: () => true }), leases: allLeases(1), consumer: 'crashed', blockMs: 10, logger: silentLogger });
  await t.throwsAsync(failing.run(), { message: 'broker refused' });
  t.is((await log.partitionLog.pending('relay', 'crashed', 0, { count: 10 })).length, 3);

  const publisher = recordingPublisher();
  const heir = createRelay({ log: log.partitionLog, publisher, leases: allLeases(1), consumer: 'heir', blockMs: 10, logger: silentLogger });
  const running = heir.run();
  t.true(await until(() => publisher.confirmedEntries.length === 3));
  await heir.stop();
  await running;
  t.deepEqual(publisher.confirmedEntries.map((e) => (JSON.parse(e.json) as PlanEvent).version), [1, 2, 3]);
  t.is((await log.partitionLog.cursor('relay', 0))?.oldestPending, null);
});

test('relay › serves only the partitions its leases hold', async (t) => {
  const log = new InMemoryEventLog(2);
  for (const plan of ['a', 'b', 'c', 'd', 'e']) await appendVersions(log, plan, 1);
  const publisher = recordingPublisher();
  const leases: PartitionLeases = { refresh: async () => [1], owned: () => [1], releaseAll: async () => undefined };
  const relay = createRelay({ log: log.partitionLog, publisher, leases, consumer: 'r', blockMs: 10, logger: silentLogger });
  const running = relay.run();
  const inOne = await log.partitionLog.length(1);
  t.true(await until(() => publisher.confirmedEntries.length === inOne));
  await new Promise((r) => setTimeout(r, 50));
  await relay.stop();
  await running;
  t.true(publisher.confirmedEntries.every((e) => e.partition === 1));
  t.is(publisher.confirmedEntries.length, inOne);
});
