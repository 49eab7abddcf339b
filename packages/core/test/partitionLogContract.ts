import type { TestFn } from 'ava';
import { EVENT_SCHEMA_VERSION, comparePositions, partitionOf, planKey, readProjectionLag, readRelayLag, refOf, refOfPlan, type EventLog, type PartitionLog, type PlanEvent } from '../src/index.js';
import { aPlan } from './planMother.js';

export interface PartitionLogFixture {
  readonly log: PartitionLog;
  /** Appends through the event log the partition log reads (so both agree on layout). */
  readonly events: EventLog;
}

/** One contract for every PartitionLog adapter: the in-memory twin and Redis Streams run the same cases. */
export function partitionLogContract(test: TestFn<unknown>, name: string, makeFixture: (partitions: number) => Promise<PartitionLogFixture>): void {
  const eventOf = (planId: string, version: number): PlanEvent => ({
    planId,
    version,
    type: version === 1 ? 'created' : 'patched',
    patch: version === 1 ? [{ op: 'add', path: '', value: aPlan({ id: planId }) }] : [{ op: 'replace', path: '/planType', value: `t${version}` }],
    actor: 'tester',
    org: 'example.com',
    at: new Date().toISOString(),
    requestId: `r-${version}`,
    schemaVersion: EVENT_SCHEMA_VERSION,
  });
  /** Appends `versions` events of a fresh plan; returns the plan's id and the events' positions. */
  const appendPlan = async (events: EventLog, versions: number): Promise<{ planId: string; positions: string[] }> => {
    const plan = aPlan();
    const positions: string[] = [];
    for (let v = 1; v <= versions; v += 1) {
      const result = await events.append({ event: eventOf(plan.objectId, v), document: plan });
      if (result.kind === 'appended') positions.push(result.position);
    }
    return { planId: plan.objectId, positions };
  };

  test(`${name} › read returns a partition's entries after a position, in order, with the event's JSON`, async (t) => {
    const { log, events } = await makeFixture(1);
    const { planId, positions } = await appendPlan(events, 5);
    const all = await log.read(0, { after: null, count: 100 });
    t.deepEqual(all.map((e) => e.position), positions);
    t.deepEqual(all.map((e) => (JSON.parse(e.json) as PlanEvent).version), [1, 2, 3, 4, 5]);
    t.is(all[0]?.partition, 0);
    t.is(planKey(refOf(JSON.parse(all[0]?.json ?? '{}') as PlanEvent)), planKey({ org: 'example.com', planId }));
    t.deepEqual((await log.read(0, { after: positions[1]!, count: 2 })).map((e) => e.position), positions.slice(2, 4));
    t.deepEqual(await log.read(0, { after: positions[4]!, count: 10 }), []);
    t.is(await log.length(0), 5);
    t.true(all.every((e, i) => i === 0 || comparePositions(all[i - 1]!.position, e.position) < 0));
  });

  test(`${name} › deliver hands each new entry to the group once, pending until acked`, async (t) => {
    const { log, events } = await makeFixture(1);
    const { positions } = await appendPlan(events, 3);
    const first = await log.deliver('g', 'c1', [0], { count: 2, blockMs: 10 });
    t.deepEqual(first.map((e) => e.position), positions.slice(0, 2));
    const second = await log.deliver('g', 'c1', [0], { count: 10, blockMs: 10 });
    t.deepEqual(second.map((e) => e.position), positions.slice(2));
    t.deepEqual(await log.deliver('g', 'c1', [0], { count: 10, blockMs: 10 }), [], 'nothing new');
    t.deepEqual((await log.pending('g', 'c1', 0, { count: 10 })).map((e) => e.position), positions);
    await log.ack('g', 0, positions.slice(0, 2));
    t.deepEqual((await log.pending('g', 'c1', 0, { count: 10 })).map((e) => e.position), positions.slice(2));
    t.deepEqual(await log.cursor('g', 0), { oldestPending: positions[2]!, lastDelivered: positions[2]! });
    await log.ack('g', 0, positions.slice(2));
    t.deepEqual(await log.cursor('g', 0), { oldestPending: null, lastDelivered: positions[2]! });
    t.is(await log.cursor('other', 0), null, 'a group never used does not exist');
  });

  test(`${name} › deliver waits for an entry appended while it blocks`, async (t) => {
    const { log, events } = await makeFixture(1);
    await log.deliver('g', 'c1', [0], { count: 10, blockMs: 10 });
    const waiting = log.deliver('g', 'c1', [0], { count: 10, blockMs: 2000 });
    await new Promise((r) => setTimeout(r, 50));
    const { positions } = await appendPlan(events, 1);
    t.deepEqual((await waiting).map((e) => e.position), positions);
  });

  test(`${name} › claimPending moves what another consumer left pending, which pending then returns in order`, async (t) => {
    const { log, events } = await makeFixture(1);
    const { positions } = await appendPlan(events, 3);
    await log.deliver('g', 'crashed', [0], { count: 10, blockMs: 10 });
    t.deepEqual(await log.pending('g', 'heir', 0, { count: 10 }), []);
    t.is(await log.claimPending('g', 'heir', 0), 3);
    t.deepEqual((await log.pending('g', 'heir', 0, { count: 10 })).map((e) => e.position), positions);
    t.deepEqual(await log.pending('g', 'crashed', 0, { count: 10 }), []);
  });

  test(`${name} › deliver over several partitions tags each entry with its partition`, async (t) => {
    const { log, events } = await makeFixture(2);
    const plans = await Promise.all(Array.from({ length: 6 }, () => appendPlan(events, 1)));
    const delivered = await log.deliver('g', 'c', [0, 1], { count: 10, blockMs: 10 });
    t.is(delivered.length, 6);
    for (const entry of delivered) {
      const event = JSON.parse(entry.json) as PlanEvent;
      t.is(entry.partition, partitionOf(planKey({ org: event.org, planId: event.planId }), 2));
    }
    t.is(new Set(plans.map((p) => p.planId)).size, 6);
  });

  test(`${name} › lag counts entries after a checkpoint and entries the relay group has not acked`, async (t) => {
    const { log, events } = await makeFixture(1);
    const { positions } = await appendPlan(events, 4);
    const now = Date.now() + 1000;
    t.deepEqual((await readProjectionLag(log, async () => positions[1]!, { now })).map((l) => l.entries), [2]);
    t.deepEqual((await readProjectionLag(log, async () => null, { now })).map((l) => l.entries), [4]);
    t.deepEqual((await readRelayLag(log, { now })).map((l) => l.entries), [4], 'no group yet: everything');
    await log.deliver('relay', 'c', [0], { count: 3, blockMs: 10 });
    await log.ack('relay', 0, positions.slice(0, 1));
    t.deepEqual((await readRelayLag(log, { now })).map((l) => l.entries), [3], 'two pending and one not delivered');
    await log.ack('relay', 0, positions.slice(1, 3));
    t.deepEqual((await readRelayLag(log, { now })).map((l) => l.entries), [1]);
    t.true((await readRelayLag(log, { now }))[0]!.ms > 0);
  });
}
