import test from 'ava';
import { EVENT_SCHEMA_VERSION, InMemoryEventLog, InMemoryProjectionState, silentLogger, type PlanChange, type PlanEvent, type ProjectionTarget } from '@planledger/core';
import { createProjectionRunner } from '../src/createProjectionRunner.js';
import { aPlan } from '../../core/test/planMother.js';

function recordingTarget(): ProjectionTarget & { changes: PlanChange[] } {
  const changes: PlanChange[] = [];
  return { name: 'recording', changes, apply: async (change) => void changes.push(change) };
}

async function givenLogWithVersions(planId: string, count: number): Promise<{ log: InMemoryEventLog; events: PlanEvent[] }> {
  const log = new InMemoryEventLog();
  const plan = aPlan({ id: planId });
  const events: PlanEvent[] = [];
  for (let version = 1; version <= count; version += 1) {
    const event: PlanEvent = {
      planId,
      version,
      type: version === 1 ? 'created' : 'patched',
      patch: version === 1 ? [{ op: 'add', path: '', value: plan }] : [{ op: 'replace', path: '/planType', value: `type-${version}` }],
      actor: 'a',
      org: 'example.com',
      at: new Date(0).toISOString(),
      requestId: `r${version}`,
      schemaVersion: EVENT_SCHEMA_VERSION,
    };
    await log.append({ event, document: plan });
    events.push(event);
  }
  return { log, events };
}

test('projection runner › applies events in order and skips duplicates', async (t) => {
  const { log, events } = await givenLogWithVersions('p', 2);
  const target = recordingTarget();
  const state = new InMemoryProjectionState();
  const runner = createProjectionRunner({ log, state, target, logger: silentLogger });
  t.is(await runner.handle(events[0]!), 'applied');
  t.is(await runner.handle(events[0]!), 'duplicate');
  t.is(await runner.handle(events[1]!), 'applied');
  t.is(await runner.handle(events[0]!), 'duplicate');
  t.deepEqual(target.changes.map((c) => c.event.version), [1, 2]);
  t.is((await state.get({ org: 'example.com', planId: 'p' })).document?.planType, 'type-2');
  t.is(target.changes[1]?.before.version, 1);
});

test('projection runner › heals a gap by reading the missing events from the log, as one change', async (t) => {
  const { log, events } = await givenLogWithVersions('p', 4);
  const target = recordingTarget();
  const state = new InMemoryProjectionState();
  const runner = createProjectionRunner({ log, state, target, logger: silentLogger });
  await runner.handle(events[0]!);
  t.is(await runner.handle(events[3]!), 'applied');
  t.deepEqual(target.changes.map((c) => [c.before.version, c.after.version, c.event.version]), [[0, 1, 1], [1, 4, 4]]);
  t.is(target.changes[1]?.after.document?.planType, 'type-4');
  t.is((await state.get({ org: 'example.com', planId: 'p' })).version, 4);
});

test('projection runner › coalesces consecutive versions of one plan into one change from the state before the first to the state after the last', async (t) => {
  const { log, events } = await givenLogWithVersions('p', 6);
  const target = recordingTarget();
  const state = new InMemoryProjectionState();
  const runner = createProjectionRunner({ log, state, target, logger: silentLogger });
  await runner.handle(events[0]!);
  const outcomes = await runner.handleChain([events[2]!, events[1]!, events[0]!, events[3]!, events[3]!]);
  t.deepEqual(outcomes, ['applied', 'applied', 'duplicate', 'applied', 'duplicate']);
  t.is(target.changes.length, 2);
  const change = target.changes[1]!;
  t.is(change.before.version, 1);
  t.is(change.after.version, 4);
  t.is(change.event.version, 4, 'the change carries the newest event');
  t.is(change.after.document?.planType, 'type-4');
  t.deepEqual(change.passed?.map((document) => document?.planType), ['type-2', 'type-3'], 'the states passed through, for targets that write only what changed');
  t.deepEqual(await runner.handleChain([events[1]!, events[2]!]), ['duplicate', 'duplicate']);
  t.is(target.changes.length, 2, 'nothing new: nothing written');
});

test('projection runner › a chain with a gap in the middle fills it from the log', async (t) => {
  const { log, events } = await givenLogWithVersions('p', 5);
  const target = recordingTarget();
  const runner = createProjectionRunner({ log, state: new InMemoryProjectionState(), target, logger: silentLogger });
  t.deepEqual(await runner.handleChain([events[0]!, events[4]!]), ['applied', 'applied']);
  t.deepEqual(target.changes.map((c) => [c.before.version, c.after.version]), [[0, 5]]);
  t.is(target.changes[0]?.after.document?.planType, 'type-5');
});

test('projection runner › a failing target leaves the state where it was', async (t) => {
  const { log, events } = await givenLogWithVersions('p', 1);
  const state = new InMemoryProjectionState();
  const runner = createProjectionRunner({ log, state, target: { name: 'broken', apply: async () => Promise.reject(new Error('down')) }, logger: silentLogger });
  await t.throwsAsync(runner.handle(events[0]!), { message: 'down' });
  t.is((await state.get({ org: 'example.com', planId: 'p' })).version, 0);
});

test('projection runner › as the sole writer of its target (a rebuild before the switch) it passes no intermediate states', async (t) => {
  const { log, events } = await givenLogWithVersions('p', 4);
  const target = recordingTarget();
  const runner = createProjectionRunner({ log, state: new InMemoryProjectionState(), target, logger: silentLogger, soleWriter: true });
  await runner.handleChain(events);
  t.is(target.changes.length, 1);
  t.is(target.changes[0]!.passed, undefined);
});
