import test from 'ava';
import { createSharedFold, EVENT_SCHEMA_VERSION, INITIAL_PLAN_STATE, InMemoryEventLog, InMemoryProjectionState, planKey, silentLogger, type PlanChange, type PlanEvent, type PlanState, type ProjectionState, type ProjectionTarget } from '@planledger/core';
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

/** A state that hands back the very state it was given, as RedisProjectionState does with the state it last wrote (the in-memory twin hands back copies). */
function keepingState(): ProjectionState {
  const states = new Map<string, PlanState>();
  return {
    get: async (plan) => states.get(planKey(plan)) ?? INITIAL_PLAN_STATE,
    set: async (plan, state) => void states.set(planKey(plan), state),
    checkpoint: async () => null,
    setCheckpoint: async () => undefined,
  };
}

test('projection runner › runners sharing one fold hold the same objects while in step; one folding later than the fold remembers folds on its own, to an equal state', async (t) => {
  const { log, events } = await givenLogWithVersions('shared', 3);
  const evolve = createSharedFold({ entries: 3 });
  const [first, second, later] = [recordingTarget(), recordingTarget(), recordingTarget()];
  const runner = (target: ProjectionTarget) => createProjectionRunner({ log, state: keepingState(), target, logger: silentLogger, evolve });
  const [a, b] = [runner(first), runner(second)];
  for (const event of events) {
    // Each consumer parses its own copy of the message.
    await a.handle(JSON.parse(JSON.stringify(event)) as PlanEvent);
    await b.handle(JSON.parse(JSON.stringify(event)) as PlanEvent);
  }
  t.is(first.changes.length, 3);
  first.changes.forEach((change, i) => t.is(change.after.document, second.changes[i]!.after.document, `version ${i + 1}: the same object`));
  // Three results of another plan since: the fold remembers none of these, and a projection catching up folds alone.
  const { events: others } = await givenLogWithVersions('other', 3);
  others.reduce<PlanState>((state, event) => evolve(state, event), INITIAL_PLAN_STATE);
  await runner(later).handleChain(events);
  t.deepEqual(later.changes.at(-1)?.after, first.changes.at(-1)?.after);
  t.not(later.changes.at(-1)?.after.document, first.changes.at(-1)?.after.document);
});
