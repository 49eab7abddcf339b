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

test('projection runner › heals a gap by reading the missing events from the log', async (t) => {
  const { log, events } = await givenLogWithVersions('p', 4);
  const target = recordingTarget();
  const state = new InMemoryProjectionState();
  const runner = createProjectionRunner({ log, state, target, logger: silentLogger });
  await runner.handle(events[0]!);
  t.is(await runner.handle(events[3]!), 'applied');
  t.deepEqual(target.changes.map((c) => c.event.version), [1, 2, 3, 4]);
  t.is((await state.get({ org: 'example.com', planId: 'p' })).version, 4);
});

test('projection runner › a failing target leaves the state where it was', async (t) => {
  const { log, events } = await givenLogWithVersions('p', 1);
  const state = new InMemoryProjectionState();
  const runner = createProjectionRunner({ log, state, target: { name: 'broken', apply: async () => Promise.reject(new Error('down')) }, logger: silentLogger });
  await t.throwsAsync(runner.handle(events[0]!), { message: 'down' });
  t.is((await state.get({ org: 'example.com', planId: 'p' })).version, 0);
});
