import test from 'ava';
import { DomainError, EVENT_SCHEMA_VERSION, applyJsonPatch, evolvePlan, foldPlan, INITIAL_PLAN_STATE, type PlanEvent } from '../src/index.js';
import { aPlan } from './planMother.js';

const event = (version: number, type: PlanEvent['type'], patch: PlanEvent['patch']): PlanEvent => ({
  planId: 'p',
  version,
  type,
  patch,
  actor: 'a',
  org: 'example.com',
  at: '2026-01-01T00:00:00.000Z',
  requestId: 'r',
  schemaVersion: EVENT_SCHEMA_VERSION,
});

test('evolvePlan › given created and patched, folds to the patched document', (t) => {
  const plan = aPlan({ id: 'p' });
  const state = foldPlan([event(1, 'created', [{ op: 'add', path: '', value: plan }]), event(2, 'patched', [{ op: 'replace', path: '/linkedPlanServices/1/planserviceCostShares/copay', value: 150 }])]);
  t.is(state.version, 2);
  t.is((state.document?.linkedPlanServices as { planserviceCostShares: { copay: number } }[])[1]?.planserviceCostShares.copay, 150);
  t.is(plan.linkedPlanServices && (plan.linkedPlanServices as { planserviceCostShares: { copay: number } }[])[1]?.planserviceCostShares.copay, 175, 'the input is not mutated');
});

test('evolvePlan › a delete leaves no document but keeps the version', (t) => {
  const state = foldPlan([event(1, 'created', [{ op: 'add', path: '', value: aPlan({ id: 'p' }) }]), event(2, 'deleted', [])]);
  t.deepEqual(state, { version: 2, document: null });
});

test('evolvePlan › refuses an event out of order', (t) => {
  t.throws(() => evolvePlan(INITIAL_PLAN_STATE, event(2, 'patched', [])), { message: /does not follow version 0/ });
});

test('applyJsonPatch › a failed test op applies nothing and says which op failed', (t) => {
  const document = { a: 1, b: 2 };
  const error = t.throws(() => applyJsonPatch(document, [{ op: 'replace', path: '/a', value: 5 }, { op: 'test', path: '/b', value: 3 }]), { instanceOf: DomainError });
  t.is(error?.code, 'PATCH_FAILED');
  t.is(error?.violations[0]?.pointer, '/1/value');
  t.deepEqual(document, { a: 1, b: 2 });
});

for (const path of ['/__proto__/polluted', '/constructor/prototype/polluted', '/a/prototype']) {
  test(`applyJsonPatch › refuses the prototype path ${path} and pollutes nothing`, (t) => {
    const error = t.throws(() => applyJsonPatch({ a: {} }, [{ op: 'add', path, value: true }]), { instanceOf: DomainError });
    t.is(error?.code, 'FORBIDDEN_KEY');
    t.is(({} as Record<string, unknown>).polluted, undefined);
  });
}
