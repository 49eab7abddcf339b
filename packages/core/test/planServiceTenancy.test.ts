import test from 'ava';
import { createPlanService, IdempotencyKeyReused, InMemoryEventLog, PlanExists, PlanNotFound, refOfPlan, type WriteContext } from '../src/index.js';
import { aPlan } from './planMother.js';

const ours: WriteContext = { actor: { clientId: 'dev-writer', subject: 'dev-writer' }, org: 'example.com', crossOrg: false, requestId: 'r1' };
const theirs: WriteContext = { actor: { clientId: 'dev-other', subject: 'dev-other' }, org: 'other.example', crossOrg: false, requestId: 'r2' };
const withKey = (context: WriteContext, key: string, fingerprint: string): WriteContext => ({ ...context, idempotency: { key, fingerprint } });

function service() {
  const log = new InMemoryEventLog();
  return { log, plans: createPlanService({ log, now: () => new Date() }) };
}

test('plan service › the same objectId in another org is another plan, created and changed independently', async (t) => {
  const { log, plans } = service();
  const plan = aPlan();
  const other = aPlan({ id: plan.objectId, org: 'other.example', copay: 5 });
  await plans.create(plan, ours);
  t.like(await plans.create(other, theirs), { org: 'other.example', version: 1 }, 'no 409 across orgs');
  await plans.patch(refOfPlan(other), 'merge-patch', { planType: 'theirs' }, { ifMatch: ['"v1"'] }, theirs);
  t.like(await plans.get(refOfPlan(plan), ours), { version: 1, document: plan });
  t.like(await plans.get(refOfPlan(other), theirs), { version: 2 });
  t.is((await log.events(refOfPlan(plan))).length, 1);
  await t.throwsAsync(plans.create(plan, ours), { instanceOf: PlanExists }, 'within one org an objectId is still unique');
});

test('plan service › another org’s plan is never found by a tenant, whatever it names', async (t) => {
  const { plans } = service();
  const other = aPlan({ org: 'other.example' });
  await plans.create(other, theirs);
  await t.throwsAsync(plans.get(refOfPlan(other), ours), { instanceOf: PlanNotFound });
  await t.throwsAsync(plans.patch(refOfPlan(other), 'merge-patch', { planType: 'x' }, { ifMatch: '*' }, ours), { instanceOf: PlanNotFound });
  await t.throwsAsync(plans.get({ org: 'example.com', planId: other.objectId }, ours), { instanceOf: PlanNotFound });
  t.like(await plans.get(refOfPlan(other), { org: 'example.com', crossOrg: true }), { version: 1 }, 'an admin names the org');
});

test('plan service › an Idempotency-Key reused for a request naming another plan is refused and writes nothing', async (t) => {
  const { log, plans } = service();
  const first = aPlan();
  const second = aPlan();
  await plans.create(first, withKey(ours, 'k', 'fingerprint-1'));
  await t.throwsAsync(plans.create(second, withKey(ours, 'k', 'fingerprint-2')), { instanceOf: IdempotencyKeyReused });
  t.is(await log.head(refOfPlan(second)), null);
  const again = await plans.create(first, withKey(ours, 'k', 'fingerprint-1'));
  t.like(again, { replayed: true, version: 1 });
  t.truthy(again.position, 'a replay says where the original event landed');
});

test('plan service › a key whose request was refused is free again for a corrected request', async (t) => {
  const { log, plans } = service();
  const invalid = { ...aPlan(), planType: 7 };
  await t.throwsAsync(plans.create(invalid, withKey(ours, 'k', 'bad')));
  const fixed = aPlan();
  t.like(await plans.create(fixed, withKey(ours, 'k', 'good')), { replayed: false, version: 1 });
  t.is((await log.events(refOfPlan(fixed))).length, 1);
});

test('plan service › 20 concurrent changes with If-Match * all apply, one version each', async (t) => {
  const { log, plans } = service();
  const plan = aPlan();
  await plans.create(plan, ours);
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => plans.patch(refOfPlan(plan), 'json-patch', [{ op: 'replace', path: '/planCostShares/copay', value: 100 + i }], { ifMatch: '*' }, ours)),
  );
  t.deepEqual(results.map((r) => r.version).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 2));
  t.is((await log.events(refOfPlan(plan))).length, 21);
});
