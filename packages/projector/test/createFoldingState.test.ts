import test from 'ava';
import { createPlanService, InMemoryEventLog, INITIAL_PLAN_STATE, refOfPlan } from '@planledger/core';
import { createFoldingState } from '../src/createFoldingState.js';
import { aPlan } from '../../core/test/planMother.js';

test('createFoldingState › holds versions only and folds the document back from the log when asked', async (t) => {
  const log = new InMemoryEventLog();
  const plans = createPlanService({ log, now: () => new Date() });
  const context = { actor: { clientId: 't' }, org: 'example.com', crossOrg: false, requestId: 'r' };
  const plan = aPlan();
  await plans.create(plan, context);
  await plans.patch(refOfPlan(plan), 'merge-patch', { planType: 'second' }, { ifMatch: '*' }, context);
  await plans.patch(refOfPlan(plan), 'merge-patch', { planType: 'third' }, { ifMatch: '*' }, context);
  const state = createFoldingState(log);
  t.deepEqual(await state.get(refOfPlan(plan)), INITIAL_PLAN_STATE, 'nothing applied yet');
  await state.set(refOfPlan(plan), { version: 2, document: null });
  t.like(await state.get(refOfPlan(plan)), { version: 2, document: { planType: 'second' } }, 'the document is the fold at that version, not what was handed in');
  await state.setCheckpoint(3, '7-0');
  t.is(await state.checkpoint(3), '7-0');
  t.is(await state.checkpoint(0), null);
});
