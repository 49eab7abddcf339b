import test from 'ava';
import { actorOf, checkChangeReason, createPlanAudit, createPlanService, describeChanges, InMemoryEventLog, InvalidChangeReason, PlanDeleted, refOfPlan, type PlanEvent, type WriteContext } from '../src/index.js';
import { aPlan } from './planMother.js';

const alice: WriteContext = { actor: { clientId: 'claims-app', subject: 'alice', email: 'alice@example.com', act: { sub: 'agent-7' } }, reason: 'ticket 42', org: 'example.com', crossOrg: false, requestId: 'r1' };
const tenant = { org: 'example.com', crossOrg: false };

test('checkChangeReason › keeps UTF-8 text up to 500 characters; empty is no reason', (t) => {
  t.is(checkChangeReason('Korrektur der Zuzahlung – Ticket #42 😀'), 'Korrektur der Zuzahlung – Ticket #42 😀');
  t.is(checkChangeReason('😀'.repeat(500)), '😀'.repeat(500), 'characters are code points, not UTF-16 units');
  t.is(checkChangeReason(''), undefined);
});

test('checkChangeReason › refuses more than 500 characters, control characters (tab, NUL, DEL, C1) and lone surrogates', (t) => {
  t.throws(() => checkChangeReason('x'.repeat(501)), { instanceOf: InvalidChangeReason, message: /501 characters/ });
  for (const bad of ['a\tb', 'a\u0000', 'line\nbreak', 'del\u007f', 'c1\u0085', 'a\r']) t.throws(() => checkChangeReason(bad), { instanceOf: InvalidChangeReason, message: /control character/ }, JSON.stringify(bad));
  t.throws(() => checkChangeReason('half \ud800 pair'), { instanceOf: InvalidChangeReason });
});

test('plan service › an event records the actor object and the reason; schema version 2', async (t) => {
  const log = new InMemoryEventLog();
  const plans = createPlanService({ log, now: () => new Date() });
  const plan = aPlan();
  await plans.create(plan, alice);
  await plans.patch(refOfPlan(plan), 'merge-patch', { planType: 'outOfNetwork' }, { ifMatch: '*' }, { ...alice, reason: undefined } as WriteContext);
  const [created, patched] = await log.events(refOfPlan(plan));
  t.like(created, { actor: alice.actor, reason: 'ticket 42', schemaVersion: 2 });
  t.false(Object.hasOwn(patched!, 'reason'), 'no reason given, none stored');
});

test('plan service › an Idempotency-Key is scoped by subject and client: the same key from another client is another key', async (t) => {
  const log = new InMemoryEventLog();
  const plans = createPlanService({ log, now: () => new Date() });
  const plan = aPlan();
  await plans.create(plan, alice);
  const key = { key: 'k1', fingerprint: 'f1' };
  const first = await plans.patch(refOfPlan(plan), 'merge-patch', { planType: 'a' }, { ifMatch: '*' }, { ...alice, idempotency: key });
  const retry = await plans.patch(refOfPlan(plan), 'merge-patch', { planType: 'a' }, { ifMatch: '*' }, { ...alice, idempotency: key });
  const otherClient = await plans.patch(refOfPlan(plan), 'merge-patch', { planType: 'b' }, { ifMatch: '*' }, { ...alice, actor: { clientId: 'other-app', subject: 'alice' }, idempotency: { key: 'k1', fingerprint: 'f2' } });
  t.true(retry.replayed);
  t.is(retry.version, first.version);
  t.false(otherClient.replayed);
  t.is(otherClient.version, first.version + 1);
});

test('plan service › get of a deleted plan throws PlanDeleted with the delete’s version and time', async (t) => {
  const log = new InMemoryEventLog();
  const plans = createPlanService({ log, now: () => new Date('2026-03-01T10:00:00Z') });
  const plan = aPlan();
  await plans.create(plan, alice);
  await plans.remove(refOfPlan(plan), { ifMatch: '*' }, alice);
  const error = await t.throwsAsync(plans.get(refOfPlan(plan), tenant), { instanceOf: PlanDeleted });
  t.deepEqual(error?.extensions, { version: 2, deletedAt: '2026-03-01T10:00:00.000Z' });
});

test('history › each entry carries the /diff lines for n-1 → n, a delete the document before; later pages fold from the state before them', async (t) => {
  const log = new InMemoryEventLog();
  const plans = createPlanService({ log, now: () => new Date() });
  const audit = createPlanAudit({ log });
  const plan = aPlan();
  const ref = refOfPlan(plan);
  await plans.create(plan, alice);
  for (const copay of [100, 150]) await plans.patch(ref, 'json-patch', [{ op: 'replace', path: '/linkedPlanServices/1/planserviceCostShares/copay', value: copay }], { ifMatch: '*' }, alice);
  await plans.remove(ref, { ifMatch: '*' }, alice);
  const whole = await audit.history(ref, tenant, { from: 1, limit: 10 });
  t.deepEqual(whole.events[0]?.changes, describeChanges({}, plan));
  t.deepEqual(whole.events[2]?.changes, [`linkedPlanServices[objectId=${plan.objectId}-lps2].planserviceCostShares.copay: 100 → 150`]);
  for (const version of [1, 2, 3, 4]) t.deepEqual(whole.events[version - 1]?.changes, (await audit.diff(ref, tenant, version - 1, version)).changes, `version ${version}`);
  const deleted = whole.events[3]!;
  t.is(deleted.type, 'deleted');
  t.is((deleted.deleted as unknown as { linkedPlanServices: { planserviceCostShares: { copay: number } }[] }).linkedPlanServices[1]?.planserviceCostShares.copay, 150);
  t.false(Object.hasOwn(whole.events[2]!, 'deleted'));
  t.like(whole.events[1], { actor: alice.actor, reason: 'ticket 42', schemaVersion: 2, requestId: 'r1', planId: plan.objectId, org: 'example.com' });
  const page = await audit.history(ref, tenant, { from: 3, limit: 1 });
  t.deepEqual(page.events.map((e) => [e.version, e.changes]), [[3, whole.events[2]!.changes]]);
  t.is(page.next, 4);
});

test('history › an event of schema version 1 (actor a string) reads as { clientId }', async (t) => {
  const log = new InMemoryEventLog();
  const plan = aPlan();
  const old: PlanEvent = { planId: plan.objectId, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: plan }], actor: 'dev-writer', org: 'example.com', at: '2025-01-01T00:00:00.000Z', requestId: 'r', schemaVersion: 1 };
  await log.append({ event: old, document: plan });
  const page = await createPlanAudit({ log }).history(refOfPlan(plan), tenant, { from: 1, limit: 10 });
  t.deepEqual(page.events[0]?.actor, { clientId: 'dev-writer' });
  t.is(page.events[0]?.schemaVersion, 1, 'the stored schema version is shown as it is');
  t.deepEqual(actorOf({ actor: { clientId: 'c', subject: 's' } }), { clientId: 'c', subject: 's' });
});
