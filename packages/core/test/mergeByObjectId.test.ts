import test from 'ava';
import fc from 'fast-check';
import { assertIdentityKept } from '../src/assertIdentityKept.js';
import { DomainError } from '../src/errors.js';
import { mergeByObjectId } from '../src/mergeByObjectId.js';
import type { JsonObject, JsonValue, PlanDocument } from '../src/planDocument.js';
import { aPlan } from './planMother.js';

interface Service extends JsonObject {
  objectId: string;
  objectType: string;
  planserviceCostShares: { copay: number; objectId: string; objectType: string };
  linkedService: { name: string; objectId: string };
}
const services = (plan: JsonValue): Service[] => (plan as { linkedPlanServices: Service[] }).linkedPlanServices;

/** Every objectId in a document, in document order. */
function objectIds(value: JsonValue): string[] {
  if (Array.isArray(value)) return value.flatMap(objectIds);
  if (typeof value !== 'object' || value === null) return [];
  const own = typeof value.objectId === 'string' ? [value.objectId] : [];
  return [...own, ...Object.values(value).flatMap(objectIds)];
}

test('mergeByObjectId › merges a patch element into the element with its objectId, in place', (t) => {
  const plan = aPlan({ id: 'p' });
  const merged = mergeByObjectId(plan, { linkedPlanServices: [{ objectId: 'p-lps2', planserviceCostShares: { copay: 150 } }] });
  t.deepEqual(services(merged).map((s) => s.planserviceCostShares.copay), [0, 150]);
  t.is(services(merged)[1]?.planserviceCostShares.objectId, 'p-pscs2');
  t.is(services(merged)[1]?.linkedService.name, 'well baby');
  t.is(services(plan)[1]?.planserviceCostShares.copay, 175, 'the target is not mutated');
});

test('mergeByObjectId › appends an element with a new objectId and keeps the ones not mentioned', (t) => {
  const plan = aPlan({ id: 'p' });
  const added = { objectId: 'p-lps3', objectType: 'planservice', _org: 'example.com', note: null };
  const merged = mergeByObjectId(plan, { linkedPlanServices: [added] });
  t.deepEqual(services(merged).map((s) => s.objectId), ['p-lps1', 'p-lps2', 'p-lps3']);
  t.deepEqual(services(merged)[2], { objectId: 'p-lps3', objectType: 'planservice', _org: 'example.com' });
});

test('mergeByObjectId › objects merge deeply and a null member deletes it', (t) => {
  const merged = mergeByObjectId(aPlan({ id: 'p' }), { planCostShares: { copay: 30, deductible: null }, planType: 'outOfNetwork' }) as PlanDocument;
  t.deepEqual(merged.planCostShares, { _org: 'example.com', copay: 30, objectId: 'p-pcs', objectType: 'membercostshare' });
  t.is(merged.planType, 'outOfNetwork');
  t.is(merged.creationDate, '12-12-2017');
});

test('mergeByObjectId › arrays that are not all objects with an objectId are replaced whole', (t) => {
  t.deepEqual(mergeByObjectId({ tags: ['a', 'b'] }, { tags: ['c'] }), { tags: ['c'] });
  t.deepEqual(mergeByObjectId({ list: [{ objectId: 'x', v: 1 }] }, { list: [{ v: 2 }] }), { list: [{ v: 2 }] });
  t.deepEqual(mergeByObjectId({ list: [{ objectId: 'x', v: 1 }, 3] }, { list: [{ objectId: 'x', v: 2 }] }), { list: [{ objectId: 'x', v: 2 }] });
  t.deepEqual(mergeByObjectId({ list: [{ objectId: 'x', v: 1 }] }, { list: [] }), { list: [{ objectId: 'x', v: 1 }] }, 'an empty patch array mentions nothing');
});

test('mergeByObjectId › a non-object patch replaces the target', (t) => {
  t.is(mergeByObjectId({ a: 1 }, 'x'), 'x');
  t.deepEqual(mergeByObjectId('x', { a: { b: null, c: 1 } }), { a: { c: 1 } });
});

test('mergeByObjectId › refuses __proto__, constructor and prototype anywhere in the patch', (t) => {
  const patch = JSON.parse('{"linkedPlanServices":[{"objectId":"p-lps1","__proto__":{"polluted":true}}]}') as JsonValue;
  const error = t.throws(() => mergeByObjectId(aPlan({ id: 'p' }), patch), { instanceOf: DomainError });
  t.is(error?.code, 'FORBIDDEN_KEY');
  t.deepEqual(error?.violations.map((v) => v.pointer), ['/linkedPlanServices/0/__proto__']);
});

test('assertIdentityKept › accepts a merge that only changes values, appends, or removes an element', (t) => {
  const plan = aPlan({ id: 'p' });
  t.notThrows(() => assertIdentityKept(plan, mergeByObjectId(plan, { linkedPlanServices: [{ objectId: 'p-lps1', planserviceCostShares: { copay: 5 } }] })));
  t.notThrows(() => assertIdentityKept(plan, mergeByObjectId(plan, { linkedPlanServices: [{ objectId: 'p-lps3', objectType: 'planservice' }] })));
  t.notThrows(() => assertIdentityKept(plan, { ...plan, linkedPlanServices: [services(plan)[1] ?? null] }), 'removing element 0 shifts element 1 down');
});

test('assertIdentityKept › refuses an element whose objectId is replaced by a new one at the same index', (t) => {
  const plan = aPlan({ id: 'p' });
  const after = { ...plan, linkedPlanServices: [{ ...services(plan)[0], objectId: 'p-new' }, services(plan)[1] ?? null] } as JsonValue;
  t.deepEqual(t.throws(() => assertIdentityKept(plan, after), { instanceOf: DomainError })?.violations, [
    { pointer: '/linkedPlanServices/0/objectId', message: 'objectId of an existing object cannot change (was p-lps1)' },
  ]);
});

test('assertIdentityKept › refuses changing the objectId of a nested object', (t) => {
  const plan = aPlan({ id: 'p' });
  const after = mergeByObjectId(plan, { planCostShares: { objectId: 'other' } });
  const error = t.throws(() => assertIdentityKept(plan, after), { instanceOf: DomainError });
  t.is(error?.code, 'PATCH_FAILED');
  t.deepEqual(error?.violations, [{ pointer: '/planCostShares/objectId', message: 'objectId of an existing object cannot change (was p-pcs)' }]);
});

test('assertIdentityKept › refuses changing or dropping the objectId of the plan root', (t) => {
  const plan = aPlan({ id: 'p' });
  const renamed = t.throws(() => assertIdentityKept(plan, mergeByObjectId(plan, { objectId: 'q' })), { instanceOf: DomainError });
  t.deepEqual(renamed?.violations, [{ pointer: '/objectId', message: 'objectId of an existing object cannot change (was p)' }]);
  const dropped = t.throws(() => assertIdentityKept(plan, mergeByObjectId(plan, { objectId: null })), { instanceOf: DomainError });
  t.deepEqual(dropped?.violations.map((v) => v.pointer), ['/objectId']);
});

test('assertIdentityKept › refuses changing an objectType, at the pointer after the change', (t) => {
  const plan = aPlan({ id: 'p' });
  const [first, second] = services(plan);
  const after = { ...plan, objectType: 'service', linkedPlanServices: [{ ...second, objectType: 'service' }, first ?? null] } as JsonValue;
  t.deepEqual(t.throws(() => assertIdentityKept(plan, after), { instanceOf: DomainError })?.violations, [
    { pointer: '/objectType', message: 'objectType of p cannot change (was plan)' },
    { pointer: '/linkedPlanServices/0/objectType', message: 'objectType of p-lps2 cannot change (was planservice)' },
  ]);
});

const copay = fc.integer({ min: 0, max: 10_000 });
/** A plan like aPlan's with 1–6 linked services, each with a random copay and maybe a patched one. */
const planAndPatch = fc.array(fc.record({ copay, patched: fc.option(copay, { nil: undefined }) }), { minLength: 1, maxLength: 6 }).map((drawn) => {
  const plan = aPlan({ id: 'p' });
  const template = services(plan)[1] as Service;
  plan.linkedPlanServices = drawn.map(({ copay: value }, index) => ({
    ...template,
    objectId: `p-lps${index}`,
    planserviceCostShares: { ...template.planserviceCostShares, objectId: `p-pscs${index}`, copay: value },
    linkedService: { ...template.linkedService, objectId: `p-svc${index}` },
  }));
  const patch = drawn.flatMap(({ patched }, index) => (patched === undefined ? [] : [{ objectId: `p-lps${index}`, planserviceCostShares: { copay: patched } }]));
  return { plan, drawn, patch: { linkedPlanServices: patch.reverse() } };
});

test('mergeByObjectId › keeps every objectId and sets each patched copay (property)', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(planAndPatch, ({ plan, drawn, patch }) => {
        const merged = mergeByObjectId(plan, patch);
        assertIdentityKept(plan, merged);
        const copays = services(merged).map((s) => s.planserviceCostShares.copay);
        return JSON.stringify(objectIds(merged)) === JSON.stringify(objectIds(plan)) && copays.every((value, index) => value === (drawn[index]?.patched ?? drawn[index]?.copay));
      }),
    ),
  );
});
