import test from 'ava';
import fc from 'fast-check';
import type { JsonObject } from '../src/planDocument.js';
import { MAX_PLAN_BYTES, MAX_PLAN_DEPTH, MAX_PLAN_NODES, validatePlan } from '../src/validatePlan.js';
import { aPlan } from './planMother.js';

/** A plan as plain JSON, so tests can delete and reach into any part of it. */
const plan = (): JsonObject => structuredClone(aPlan()) as JsonObject;
const at = (value: JsonObject, ...path: (string | number)[]): JsonObject =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], value) as JsonObject;
const pointers = (document: unknown) => validatePlan(document).map((v) => v.pointer);

test('validatePlan › a plan shaped like the sample is valid', (t) => {
  t.deepEqual(validatePlan(aPlan()), []);
});

const missing: [string, (string | number)[], string][] = [
  ['plan', [], 'planType'],
  ['plan', [], 'linkedPlanServices'],
  ['plan cost share', ['planCostShares'], 'deductible'],
  ['planservice', ['linkedPlanServices', 0], 'planserviceCostShares'],
  ['planservice cost share', ['linkedPlanServices', 0, 'planserviceCostShares'], 'copay'],
  ['service', ['linkedPlanServices', 1, 'linkedService'], 'name'],
  ['service', ['linkedPlanServices', 1, 'linkedService'], '_org'],
];
for (const [subject, path, key] of missing) {
  test(`validatePlan › a ${subject} without ${key} is reported at its exact pointer`, (t) => {
    const document = plan();
    delete at(document, ...path)[key];
    t.deepEqual(validatePlan(document), [{ pointer: ['', ...path, key].join('/'), message: 'is required' }]);
  });
}

test('validatePlan › a negative copay is reported at its pointer', (t) => {
  const document = plan();
  at(document, 'planCostShares')['copay'] = -1;
  t.deepEqual(validatePlan(document), [{ pointer: '/planCostShares/copay', message: 'must be >= 0' }]);
});

test('validatePlan › a wrong objectType is reported at /objectType', (t) => {
  const document = { ...plan(), objectType: 'service' };
  t.deepEqual(validatePlan(document), [{ pointer: '/objectType', message: "must be equal to constant 'plan'" }]);
});

test('validatePlan › an unknown property is reported at its own pointer', (t) => {
  const document = plan();
  at(document, 'linkedPlanServices', 1, 'linkedService')['colour'] = 'red';
  t.deepEqual(validatePlan(document), [{ pointer: '/linkedPlanServices/1/linkedService/colour', message: 'is not allowed' }]);
});

test('validatePlan › a bad objectId, org or creationDate is reported', (t) => {
  const document = { ...plan(), objectId: 'has space', _org: '-bad-.com', creationDate: '2017/12/12' };
  t.deepEqual(pointers(document).sort(), ['/_org', '/creationDate', '/objectId']);
  t.deepEqual(validatePlan({ ...plan(), creationDate: '2017-12-12' }), []);
});

test('validatePlan › creationDate must be a real calendar day, in either accepted format', (t) => {
  t.deepEqual(validatePlan({ ...plan(), creationDate: '02-29-2020' }), []);
  t.deepEqual(validatePlan({ ...plan(), creationDate: '02-30-2020' }), [{ pointer: '/creationDate', message: 'has day 30, but 02/2020 has days 01 to 29' }]);
  t.deepEqual(validatePlan({ ...plan(), creationDate: '2021-02-29' }), [{ pointer: '/creationDate', message: 'has day 29, but 02/2021 has days 01 to 28' }]);
  t.deepEqual(validatePlan({ ...plan(), creationDate: '13-12-2017' }), [{ pointer: '/creationDate', message: 'has month 13; months are 01 to 12' }]);
  t.deepEqual(validatePlan({ ...plan(), creationDate: 'garbage' }), [{ pointer: '/creationDate', message: 'is not a date as MM-DD-YYYY or YYYY-MM-DD' }]);
});

test('validatePlan › an objectId whose URL would not round-trip is refused, saying why', (t) => {
  const messageFor = (objectId: string) => validatePlan({ ...plan(), objectId }).map((v) => `${v.pointer} ${v.message}`);
  for (const id of ['.', '..']) {
    t.deepEqual(messageFor(id), [`/objectId must not be '${id}': URLs drop '.' and '..' segments, so the object could not be read back at its URL`]);
  }
  for (const [id, found] of [['a/b', '/'], ['a?b', '?'], ['a#b', '#'], ['a%2Fb', '%'], ['a b', ' '], ['a\tb', '\t'], ['a\u0000b', '\u0000'], ['é', 'é']]) {
    t.deepEqual(messageFor(id!), [`/objectId may hold only letters, digits, '.', '_', ':' and '-' so that its URL round-trips; found ${JSON.stringify(found)}`], JSON.stringify(id));
  }
  t.true(messageFor('').includes('/objectId must not be empty'));
  const nested = plan();
  at(nested, 'linkedPlanServices', 0, 'linkedService')['objectId'] = '..';
  t.deepEqual(pointers(nested), ['/linkedPlanServices/0/linkedService/objectId']);
  for (const id of ['...', '.a', 'a.', 'a..b', '1234vxc2324sdf-501', 'urn:x:1', 'a_b']) t.deepEqual(validatePlan({ ...plan(), objectId: id }), [], id);
});

test('validatePlan › a repeated objectId is reported at its second occurrence, naming the first', (t) => {
  const document = plan();
  at(document, 'linkedPlanServices', 1)['objectId'] = at(document, 'linkedPlanServices', 0)['objectId'] as string;
  t.deepEqual(validatePlan(document), [
    { pointer: '/linkedPlanServices/1/objectId', message: "duplicates the objectId at '/linkedPlanServices/0/objectId'" },
  ]);
});

test('validatePlan › more than 500 linked plan services is reported at the array', (t) => {
  const services = Array.from({ length: 501 }, (_, i) => at(aPlan({ id: `p${i}` }), 'linkedPlanServices', 0));
  const document = { ...plan(), linkedPlanServices: services };
  t.deepEqual(validatePlan(document), [{ pointer: '/linkedPlanServices', message: 'must NOT have more than 500 items' }]);
});

// In each bounds test the extra property would also fail the schema; the single bounds
// violation shows that ajv never ran.
test('validatePlan › a document nested too deeply fails before the schema runs', (t) => {
  let deep: JsonObject = {};
  for (let i = 0; i < MAX_PLAN_DEPTH; i += 1) deep = { a: deep };
  const violations = validatePlan({ ...plan(), extra: deep });
  t.is(violations.length, 1);
  t.is(violations[0]?.message, `nests deeper than ${MAX_PLAN_DEPTH} levels`);
  t.true(violations[0]?.pointer.startsWith('/extra/a/a'));
});

test('validatePlan › a document with too many values fails before the schema runs', (t) => {
  const document = { ...plan(), extra: Array.from({ length: MAX_PLAN_NODES }, () => 0) };
  t.deepEqual(validatePlan(document), [{ pointer: '', message: `has more than ${MAX_PLAN_NODES} values` }]);
});

test('validatePlan › a document that is too large fails before the schema runs', (t) => {
  const document = { ...plan(), planType: 'x'.repeat(MAX_PLAN_BYTES), extra: true };
  t.deepEqual(validatePlan(document), [{ pointer: '', message: `is larger than ${MAX_PLAN_BYTES} bytes` }]);
});

test('validatePlan › a __proto__ key fails before the schema runs', (t) => {
  const document: unknown = JSON.parse(JSON.stringify(aPlan()).replace('"planCostShares":', '"__proto__":{},"planCostShares":'));
  t.deepEqual(validatePlan(document), [{ pointer: '/__proto__', message: "'__proto__' is not allowed as a key" }]);
});

test('validatePlan › a value that is not an object is reported at the root', (t) => {
  for (const value of [null, 42, 'plan', [aPlan()], undefined]) {
    t.deepEqual(validatePlan(value), [{ pointer: '', message: 'must be an object' }]);
  }
});

test('validatePlan › never throws on arbitrary JSON and reports at most 50 violations', (t) => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const violations = validatePlan(value);
      return Array.isArray(violations) && violations.length <= 50;
    }),
  );
  t.pass();
});

test('validatePlan › any non-negative copay and deductible up to 1e9 are valid', (t) => {
  const amount = fc.double({ min: 0, max: 1e9, noNaN: true });
  fc.assert(
    fc.property(amount, amount, (copay, deductible) => {
      const document = plan();
      Object.assign(at(document, 'planCostShares'), { copay, deductible });
      Object.assign(at(document, 'linkedPlanServices', 1, 'planserviceCostShares'), { copay, deductible });
      return validatePlan(aPlan({ copay })).length === 0 && validatePlan(document).length === 0;
    }),
  );
  t.pass();
});
