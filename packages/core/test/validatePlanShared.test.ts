import test from 'ava';
import { applyJsonPatch } from '../src/applyJsonPatch.js';
import { checkedPart } from '../src/checkedParts.js';
import { findForbiddenKeys } from '../src/forbiddenKeys.js';
import type { JsonObject, JsonValue, PlanDocument } from '../src/planDocument.js';
import { findForeignOrgs } from '../src/tenancy.js';
import { MAX_PLAN_DEPTH, MAX_PLAN_NODES, validatePlan } from '../src/validatePlan.js';
import { aPlan } from './planMother.js';

// The write checks remember the parts of documents they found good, by identity, so the next state
// of a plan (which shares its untouched parts) is checked only where it changed. These tests hold
// each check on documents made of parts seen before to what it says of the same JSON made afresh.

const withServices = (id: string, n: number): PlanDocument => {
  const plan = aPlan({ id });
  const template = (plan.linkedPlanServices as JsonObject[])[0]!;
  plan.linkedPlanServices = Array.from({ length: n }, (_, i) => JSON.parse(JSON.stringify(template).replaceAll(`${id}-`, `${id}-${i}-`)) as JsonObject);
  return plan;
};
const fresh = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const items = (plan: PlanDocument) => plan.linkedPlanServices as JsonObject[];
const nest = (value: JsonValue, levels: number): JsonObject => (levels === 0 ? { leaf: value } : { down: nest(value, levels - 1) });
/** As the checks of a change's result run (decidePlanChange): entering what they find. */
const remembering = { remember: true };

/** A valid plan, checked once (its parts are now known good), and documents built from its parts. */
function variants(): [string, PlanDocument][] {
  const plan = withServices('s', 5);
  validatePlan(plan, remembering);
  findForeignOrgs(plan, plan._org, '', remembering);
  const patched = (patch: Parameters<typeof applyJsonPatch>[1]) => applyJsonPatch(plan, patch) as PlanDocument;
  const [first, second] = [items(plan)[0]!, items(plan)[1]!];
  return [
    ['the plan itself', plan],
    ['one field changed', patched([{ op: 'replace', path: '/linkedPlanServices/2/planserviceCostShares/copay', value: 7 }])],
    ['a value out of range', patched([{ op: 'replace', path: '/linkedPlanServices/2/planserviceCostShares/copay', value: -1 }])],
    ['an unknown member in a new item', { ...plan, linkedPlanServices: [...items(plan), { ...first, objectId: 's-new', extra: 1 }] }],
    ['an objectId repeated across a known and a new item', patched([{ op: 'replace', path: '/linkedPlanServices/3/objectId', value: String(first.objectId) }])],
    ['a known item twice', { ...plan, linkedPlanServices: [...items(plan), second] }],
    ['a forbidden key beside known items', { ...plan, linkedPlanServices: [...items(plan), JSON.parse('{"__proto__": {"x": 1}}') as JsonObject] }],
    ['a known item nested too deep', { ...plan, planType: nest(first, MAX_PLAN_DEPTH - 2) } as unknown as PlanDocument],
    ['a known item nested to the limit', { ...plan, planType: nest(first, MAX_PLAN_DEPTH - 4) } as unknown as PlanDocument],
    ['too many values from known items', { ...plan, linkedPlanServices: Array.from({ length: Math.ceil(MAX_PLAN_NODES / 15) }, () => first) }],
    ['known items in a plan of another org', { ...plan, _org: 'other.example' }],
    ['a known item of another org', { ...plan, linkedPlanServices: [...items(plan), items(withServices('o', 1))[0]!] }],
  ];
}

for (const [name, document] of variants()) {
  test(`validatePlan › ${name}: the same violations as the same JSON made afresh`, (t) => {
    const expected = validatePlan(fresh(document));
    t.deepEqual(validatePlan(document, remembering), expected);
    t.deepEqual(validatePlan(document, remembering), expected, 'and again, now that its parts are known');
  });
  test(`findForeignOrgs and findForbiddenKeys › ${name}: the same as on the same JSON made afresh`, (t) => {
    for (const org of ['example.com', 'other.example']) t.deepEqual(findForeignOrgs(document, org, '', remembering), findForeignOrgs(fresh(document), org));
    t.deepEqual(findForbiddenKeys(document, '', remembering), findForbiddenKeys(fresh(document)));
  });
}

test('validatePlan › the variants include valid documents and invalid ones of every kind the checks report', (t) => {
  const reported = new Map(variants().map(([name, document]) => [name, validatePlan(fresh(document)).map((v) => v.message).join('\n')]));
  t.is(reported.get('the plan itself'), '');
  t.is(reported.get('one field changed'), '');
  t.true(reported.get('a value out of range')?.includes('must be >= 0'));
  t.true(reported.get('an unknown member in a new item')?.includes('is not allowed'));
  t.true(reported.get('an objectId repeated across a known and a new item')?.includes('duplicates the objectId'));
  t.true(reported.get('a known item twice')?.includes('duplicates the objectId'));
  t.true(reported.get('a forbidden key beside known items')?.includes("'__proto__' is not allowed"));
  t.true(reported.get('a known item nested too deep')?.includes('nests deeper than'));
  t.false(reported.get('a known item nested to the limit')?.includes('nests deeper than'));
  t.true(reported.get('too many values from known items')?.includes('has more than'));
  const plan = withServices('s', 1);
  t.deepEqual(findForeignOrgs({ ...plan, _org: 'other.example' }, 'other.example').length, 4);
});

test('findForeignOrgs › a document checked as a plan (its own _org not compared) and then nested in another still has its own _org compared', (t) => {
  const odd = { ...aPlan({ id: 'x', org: 'x.example' }), _org: 'y.example' };
  t.deepEqual(findForeignOrgs(odd, 'x.example', '', remembering), []);
  const holder = { ...aPlan({ id: 'h', org: 'x.example' }), extra: odd };
  t.deepEqual(findForeignOrgs(holder, 'x.example', '', remembering), [{ pointer: '/extra/_org', message: "must be the plan's org 'x.example'" }]);
  t.deepEqual(findForeignOrgs(holder, 'x.example'), findForeignOrgs(fresh(holder), 'x.example'));
});

test('validatePlan › a document checked without remembering (a create, a body) enters none of its parts', (t) => {
  const plan = withServices('c', 2);
  t.deepEqual(validatePlan(plan), []);
  t.deepEqual(findForeignOrgs(plan, plan._org), []);
  t.deepEqual(findForbiddenKeys(plan), []);
  t.is(checkedPart(plan), undefined);
  t.is(checkedPart(items(plan)[0]!), undefined);
  validatePlan(plan, remembering);
  t.true(checkedPart(plan)?.forbiddenFree);
  t.is(checkedPart(items(plan)[0]!)?.satisfies, '#/$defs/planservice');
});
