import type { TestFn } from 'ava';
import { EVENT_SCHEMA_VERSION, evolvePlan, INITIAL_PLAN_STATE, type PlanDirectory, type PlanDocument, type PlanEvent, type PlanState, type ProjectionTarget } from '../src/index.js';
import { aPlan } from './planMother.js';

type Directory = PlanDirectory & ProjectionTarget;

/** One contract for every plan directory: the in-memory twin and Redis run the same cases. */
export function planDirectoryContract(test: TestFn<unknown>, name: string, makeDirectory: () => Promise<Directory>): void {
  const feed = async (directory: Directory, before: PlanState, type: PlanEvent['type'], patch: PlanEvent['patch'], plan: PlanDocument, second: number): Promise<PlanState> => {
    const event: PlanEvent = { planId: plan.objectId, version: before.version + 1, type, patch, actor: 't', org: plan._org, at: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(), requestId: 'r', schemaVersion: EVENT_SCHEMA_VERSION };
    const after = evolvePlan(before, event);
    await directory.apply({ event, before, after });
    return after;
  };
  const create = (directory: Directory, plan: PlanDocument, second: number) => feed(directory, INITIAL_PLAN_STATE, 'created', [{ op: 'add', path: '', value: plan }], plan, second);

  test(`${name} › lists an org's plans newest change first, paged by cursor`, async (t) => {
    const directory = await makeDirectory();
    const org = `org-${Math.random().toString(36).slice(2)}.example`;
    const plans = Array.from({ length: 5 }, () => aPlan({ org }));
    const states = [];
    for (const [i, plan] of plans.entries()) states.push(await create(directory, plan, i));
    await feed(directory, states[0]!, 'patched', [{ op: 'replace', path: '/planType', value: 'changed' }], plans[0]!, 30);
    await create(directory, aPlan({ org: `elsewhere-${org}` }), 40);
    const first = await directory.list(org, { limit: 2 });
    const second = await directory.list(org, { limit: 2, cursor: first.next ?? '' });
    const third = await directory.list(org, { limit: 2, cursor: second.next ?? '' });
    t.deepEqual([...first.items, ...second.items, ...third.items].map((p) => p.planId), [plans[0], plans[4], plans[3], plans[2], plans[1]].map((p) => p!.objectId));
    t.like(first.items[0], { version: 2, planType: 'changed', org });
    t.is(third.next, null);
    t.is((await directory.counts())[org], 5);
  });

  test(`${name} › indexes nested objectIds to the plans holding them, and forgets deleted plans`, async (t) => {
    const directory = await makeDirectory();
    const plan = aPlan();
    const created = await create(directory, plan, 1);
    t.deepEqual(await directory.plansHolding(plan._org, `${plan.objectId}-svc2`), [plan.objectId]);
    const trimmed = await feed(directory, created, 'patched', [{ op: 'remove', path: '/linkedPlanServices/1' }], plan, 2);
    t.deepEqual(await directory.plansHolding(plan._org, `${plan.objectId}-svc2`), []);
    t.deepEqual(await directory.plansHolding(plan._org, `${plan.objectId}-svc1`), [plan.objectId]);
    await feed(directory, trimmed, 'deleted', [], plan, 3);
    t.deepEqual(await directory.plansHolding(plan._org, `${plan.objectId}-svc1`), []);
    t.deepEqual((await directory.list(plan._org, { limit: 1000 })).items.filter((p) => p.planId === plan.objectId), []);
  });

  test(`${name} › a cursor it did not give out is refused`, async (t) => {
    const directory = await makeDirectory();
    await t.throwsAsync(directory.list('example.com', { limit: 5, cursor: 'not-a-cursor' }), { message: /cursor/ });
  });

  test(`${name} › a change older than what it holds (a late or replayed write) changes nothing, deletes included`, async (t) => {
    const directory = await makeDirectory();
    const plan = aPlan();
    const v1 = await create(directory, plan, 1);
    const v2 = await feed(directory, v1, 'patched', [{ op: 'replace', path: '/planType', value: 'second' }], plan, 2);
    // The change to v1 arrives again, late.
    await directory.apply({ event: { planId: plan.objectId, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: plan }], actor: 't', org: plan._org, at: new Date(Date.UTC(2026, 0, 1, 0, 0, 1)).toISOString(), requestId: 'r', schemaVersion: EVENT_SCHEMA_VERSION }, before: INITIAL_PLAN_STATE, after: v1 });
    const listed = (await directory.list(plan._org, { limit: 1000 })).items.filter((p) => p.planId === plan.objectId);
    t.like(listed[0], { version: 2, planType: 'second' });
    await feed(directory, v2, 'deleted', [], plan, 3);
    await directory.apply({ event: { planId: plan.objectId, version: 2, type: 'patched', patch: [], actor: 't', org: plan._org, at: new Date(Date.UTC(2026, 0, 1, 0, 0, 2)).toISOString(), requestId: 'r', schemaVersion: EVENT_SCHEMA_VERSION }, before: v1, after: v2 });
    t.deepEqual((await directory.list(plan._org, { limit: 1000 })).items.filter((p) => p.planId === plan.objectId), [], 'a late change does not bring a deleted plan back');
    t.deepEqual(await directory.plansHolding(plan._org, `${plan.objectId}-svc1`), []);
  });

  test(`${name} › a coalesced change forgets the objectIds of the states it passed through`, async (t) => {
    const directory = await makeDirectory();
    const plan = aPlan();
    const v1 = await create(directory, plan, 1);
    // Another writer's change from nothing to deleted, which passed through v1.
    const deleted: PlanEvent = { planId: plan.objectId, version: 2, type: 'deleted', patch: [], actor: 't', org: plan._org, at: new Date(Date.UTC(2026, 0, 1, 0, 0, 2)).toISOString(), requestId: 'r', schemaVersion: EVENT_SCHEMA_VERSION };
    await directory.apply({ event: deleted, before: INITIAL_PLAN_STATE, after: evolvePlan(v1, deleted), passed: [v1.document] });
    t.deepEqual(await directory.plansHolding(plan._org, `${plan.objectId}-svc1`), []);
    t.deepEqual((await directory.list(plan._org, { limit: 1000 })).items.filter((p) => p.planId === plan.objectId), []);
  });
}
