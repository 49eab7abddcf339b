import test from 'ava';
import { describeChanges } from '../src/describeChanges.js';
import type { JsonObject, PlanDocument } from '../src/planDocument.js';
import { aPlan } from './planMother.js';

const ID = '12xvxc345ssdsds-508';
const LPS2 = `${ID}-lps2`;
const services = (plan: PlanDocument): JsonObject[] => plan.linkedPlanServices as JsonObject[];

test('describeChanges › names array elements by objectId: a copay change', (t) => {
  t.deepEqual(describeChanges(aPlan({ id: ID }), aPlan({ id: ID, copay: 150 })), [`linkedPlanServices[objectId=${LPS2}].planserviceCostShares.copay: 175 → 150`]);
});

test('describeChanges › a service name change renders strings as JSON', (t) => {
  t.deepEqual(describeChanges(aPlan({ id: ID }), aPlan({ id: ID, serviceName: 'acupuncture' })), [
    `linkedPlanServices[objectId=${LPS2}].linkedService.name: "well baby" → "acupuncture"`,
  ]);
});

test('describeChanges › removing and adding one linked plan service', (t) => {
  const plan = aPlan({ id: ID });
  const without = { ...plan, linkedPlanServices: services(plan).slice(1) };
  t.deepEqual(describeChanges(plan, without), [`linkedPlanServices[objectId=${ID}-lps1]: removed`]);
  const added = { ...plan, linkedPlanServices: [...services(plan), { ...services(plan)[0], objectId: `${ID}-lps3` }] };
  t.deepEqual(describeChanges(plan, added), [`linkedPlanServices[objectId=${ID}-lps3]: added`]);
});

test('describeChanges › a scalar added and removed at the root, without a leading dot', (t) => {
  const plan = aPlan({ id: ID });
  const { creationDate, ...withoutDate } = plan;
  t.deepEqual(describeChanges(plan, { ...withoutDate, planStatus: 'active' }), [`creationDate: "${String(creationDate)}" → (none)`, 'planStatus: (none) → "active"']);
});

test('describeChanges › objects and plain arrays as compact JSON, plain array elements by index, sorted by path', (t) => {
  const from = { b: { x: 1 }, a: [1, 2], list: Array.from({ length: 11 }, (_, i) => i) };
  const to = { b: { x: 1, y: { z: [true] } }, a: [1], list: [...from.list.slice(0, 2), 20, ...from.list.slice(3, 10), 100], 'odd.key': null };
  t.deepEqual(describeChanges(from, to), [
    'a[1]: 2 → (none)',
    'b.y: (none) → {"z":[true]}',
    'list[2]: 2 → 20',
    'list[10]: 10 → 100',
    '["odd.key"]: (none) → null',
  ]);
});

test('describeChanges › identical documents have no changes', (t) => {
  t.deepEqual(describeChanges(aPlan({ id: ID }), aPlan({ id: ID })), []);
});
