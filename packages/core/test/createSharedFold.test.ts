import test from 'ava';
import { createSharedFold } from '../src/createSharedFold.js';
import { evolvePlan, INITIAL_PLAN_STATE } from '../src/evolvePlan.js';
import type { PlanEvent } from '../src/planEvent.js';
import { aPlan } from './planMother.js';

const event = (version: number, patch: PlanEvent['patch'], requestId = `r${version}`): PlanEvent => ({
  planId: 'p',
  org: 'example.com',
  version,
  type: version === 1 ? 'created' : 'patched',
  patch,
  actor: { clientId: 'c' },
  at: '2026-01-01T00:00:00.000Z',
  requestId,
  schemaVersion: 2,
});
const create = event(1, [{ op: 'add', path: '', value: aPlan({ id: 'p' }) }]);
const patch = event(2, [{ op: 'replace', path: '/planType', value: 'outOfNetwork' }]);

test('createSharedFold › the same event folded into the same state gives the same object; into another state, or another event of that version, its own', (t) => {
  const fold = createSharedFold();
  const created = fold(INITIAL_PLAN_STATE, create);
  t.is(fold(INITIAL_PLAN_STATE, structuredClone(create)), created, 'a copy of the event, as another consumer parses it');
  t.deepEqual(created, evolvePlan(INITIAL_PLAN_STATE, create));
  const patched = fold(created, patch);
  t.is(fold(created, patch), patched);
  // The same version of the plan from an equal but other state: folded afresh, to an equal state.
  const other = fold(evolvePlan(INITIAL_PLAN_STATE, create), patch);
  t.not(other, patched);
  t.deepEqual(other, patched);
  // Another event of that version (another log): its own result.
  const elsewhere = fold(created, event(2, [{ op: 'replace', path: '/planType', value: 'x' }], 'another request'));
  t.is(elsewhere.document?.planType, 'x');
  t.throws(() => fold(created, event(3, [])), { message: /does not follow version 1/ });
});

test('createSharedFold › keeps only the last results it was given room for', (t) => {
  const fold = createSharedFold({ entries: 1 });
  const created = fold(INITIAL_PLAN_STATE, create);
  fold(created, patch);
  t.not(fold(INITIAL_PLAN_STATE, create), created, 'pushed out by the next result');
});
