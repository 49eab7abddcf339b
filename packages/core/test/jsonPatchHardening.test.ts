import test from 'ava';
import { applyJsonPatch, decidePlanChange, DomainError, validateJsonPatch, validatePlan, type JsonPatch, type JsonValue, type PlanDocument, type DecideOptions } from '../src/index.js';
import { aPlan } from './planMother.js';

const options = (plan: PlanDocument): DecideOptions => ({ tenant: { org: plan._org, crossOrg: false }, validate: validatePlan });
const apply = (document: JsonValue, patch: unknown) => applyJsonPatch(document, patch as JsonPatch);

/** Runs a client patch through the decider, as the api does, and returns the DomainError it throws. */
function refused(plan: PlanDocument, body: unknown): DomainError {
  const before = JSON.stringify(plan);
  try {
    decidePlanChange(plan, { kind: 'patch', format: 'json-patch', body }, options(plan));
  } catch (error) {
    if (!(error instanceof DomainError)) throw new Error(`not a DomainError: ${String(error)}`);
    if (JSON.stringify(plan) !== before) throw new Error('the plan was mutated');
    return error;
  }
  throw new Error('the patch was accepted');
}

const malformed: [string, unknown, string, RegExp][] = [
  ['an add with no path', [{ op: 'add', value: 1 }], '/0/path', /^operation 0 \(add\) has no "path"$/],
  ['a null path', [{ op: 'add', path: null, value: 1 }], '/0/path', /"path" must be a string holding a JSON Pointer, not null/],
  ['a numeric path', [{ op: 'remove', path: 3 }], '/0/path', /not a number/],
  ['a path without a leading slash', [{ op: 'remove', path: 'planType' }], '/0/path', /must be empty or start with '\/'/],
  ['a bad ~ escape', [{ op: 'remove', path: '/a~2b' }], '/0/path', /'~2' at position 2 is no escape/],
  ['a trailing ~', [{ op: 'remove', path: '/a~' }], '/0/path', /no escape/],
  ['a non-string from on move', [{ op: 'move', from: 7, path: '/x' }], '/0/from', /^operation 0 \(move\): "from" must be a string/],
  ['a missing from on copy', [{ op: 'copy', path: '/x' }], '/0/from', /^operation 0 \(copy\) has no "from"$/],
  ['a missing value on replace', [{ op: 'replace', path: '/planType' }], '/0/value', /^operation 0 \(replace\) has no "value"$/],
  ['a missing value on test', [{ op: 'test', path: '/planType' }], '/0/value', /has no "value"/],
  ['an unknown op', [{ op: 'merge', path: '/planType', value: 1 }], '/0/op', /has "op" "merge"; "op" must be one of add, remove, replace, move, copy, test/],
  ['a missing op', [{ path: '/planType', value: 1 }], '/0/op', /has no "op"/],
  ['a numeric op', [{ op: 1, path: '/planType' }], '/0/op', /has "op" a number/],
  ['a null operation', [null], '/0', /^operation 0 must be an object with an "op" member, not null$/],
  ['a number as operation', [1], '/0', /not a number/],
  ['a string as operation', ['add'], '/0', /not a string/],
  ['an array as operation', [[]], '/0', /not an array/],
  ['a move into its own child', [{ op: 'move', from: '/linkedPlanServices', path: '/linkedPlanServices/0/linkedService/x' }], '/0/from', /\/linkedPlanServices cannot move into its own child \/linkedPlanServices\/0\/linkedService\/x/],
  ['a move of an object into its own member', [{ op: 'move', from: '/planCostShares', path: '/planCostShares/copay' }], '/0/from', /cannot move into its own child/],
  ['a move from the root', [{ op: 'move', from: '', path: '/planType' }], '/0/from', /the whole document cannot move into its own child \/planType/],
  ['a body that is not an array', { op: 'add', path: '/a', value: 1 }, '', /must be an array of operations, not an object/],
];
for (const [name, body, pointer, message] of malformed) {
  test(`json patch hardening › ${name} is INVALID_PATCH at ${pointer || "''"}, never a TypeError`, (t) => {
    const error = refused(aPlan(), body);
    t.is(error.code, 'INVALID_PATCH', error.message);
    t.is(error.violations[0]?.pointer, pointer);
    t.regex(error.violations[0]?.message ?? '', message);
  });
}

test('json patch hardening › a non-string from on replace is ignored, as RFC 6902 §4 says of undefined members', (t) => {
  const plan = aPlan();
  t.deepEqual(validateJsonPatch([{ op: 'replace', path: '/planType', value: 'outOfNetwork', from: 42 }]), [{ op: 'replace', path: '/planType', value: 'outOfNetwork' }]);
  const decision = decidePlanChange(plan, { kind: 'patch', format: 'json-patch', body: [{ op: 'replace', from: null, path: '/planType', value: 'outOfNetwork' }] }, options(plan));
  t.is(decision?.document?.planType, 'outOfNetwork');
  t.deepEqual(validateJsonPatch([{ op: 'remove', path: '/a', value: undefined, from: [] }]), [{ op: 'remove', path: '/a' }]);
});

test('json patch hardening › every malformed operation is reported at once, with its index', (t) => {
  const error = refused(aPlan(), [{ op: 'test', path: '/planType', value: 'inNetwork' }, null, { op: 'add' }, { op: 'move', from: 1, path: 2 }]);
  t.is(error.code, 'INVALID_PATCH');
  t.deepEqual(error.violations.map((v) => v.pointer), ['/1', '/2/path', '/2/value', '/3/path', '/3/from']);
  t.regex(error.message, /^The JSON Patch is malformed: operation 1 must be an object.*\(and 4 more\)\.$/);
});

test('json patch hardening › array indices with leading zeros are refused by add, test, remove and replace', (t) => {
  for (const operation of [
    { op: 'add', path: '/linkedPlanServices/01', value: {} },
    { op: 'test', path: '/linkedPlanServices/01', value: {} },
    { op: 'remove', path: '/linkedPlanServices/00' },
    { op: 'replace', path: '/linkedPlanServices/01/objectType', value: 'x' },
    { op: 'copy', from: '/linkedPlanServices/01', path: '/x' },
  ]) {
    const error = refused(aPlan(), [operation]);
    t.is(error.code, 'PATCH_FAILED', operation.op);
    t.regex(error.violations[0]?.message ?? '', /'0[01]' in \/linkedPlanServices\/0[01] is not an array index \(write 0, or a number without leading zeros/);
  }
  t.deepEqual(apply({ '01': 1 }, [{ op: 'test', path: '/01', value: 1 }]), { '01': 1 }, "on an object '01' is just a member name");
});

test('json patch hardening › a replace of a missing member names the operation and the pointer in words', (t) => {
  const error = refused(aPlan(), [{ op: 'test', path: '/planType', value: 'inNetwork' }, { op: 'replace', path: '/planType', value: 'outOfNetwork' }, { op: 'replace', path: '/planCostShares/copays', value: 1 }]);
  t.is(error.code, 'PATCH_FAILED');
  t.deepEqual(error.violations, [{ pointer: '/2/path', message: 'operation 2 (replace): /planCostShares/copays does not exist' }]);
  t.is(error.message, 'The patch cannot be applied: operation 2 (replace): /planCostShares/copays does not exist.');
  t.notRegex(error.message, /OPERATION_|UNRESOLVABLE/);
});

test('json patch hardening › forbidden segments are refused after unescaping, in path and from', (t) => {
  for (const operation of [
    { op: 'add', path: '/__proto__/polluted', value: true },
    { op: 'add', path: '/a/constructor', value: 1 },
    { op: 'copy', from: '/prototype', path: '/x' },
    { op: 'test', path: '/a/__proto__', value: 1 },
  ]) {
    const error = t.throws(() => apply({ a: {} }, [operation]), { instanceOf: DomainError });
    t.is(error?.code, 'FORBIDDEN_KEY');
  }
  t.deepEqual(apply({ '__proto~': 1 }, [{ op: 'test', path: '/__proto~0', value: 1 }]), { '__proto~': 1 }, 'an escape that does not spell a forbidden key is fine');
  t.is(({} as Record<string, unknown>).polluted, undefined);
});

test('json patch hardening › a later failing operation leaves the input untouched (all or nothing)', (t) => {
  const plan = aPlan();
  const before = structuredClone(plan);
  const patch = [
    { op: 'replace', path: '/planType', value: 'outOfNetwork' },
    { op: 'remove', path: '/linkedPlanServices/0' },
    { op: 'add', path: '/linkedPlanServices/-', value: { a: 1 } },
    { op: 'move', from: '/creationDate', path: '/moved' },
    { op: 'test', path: '/planType', value: 'inNetwork' },
  ];
  const error = t.throws(() => apply(plan, patch), { instanceOf: DomainError });
  t.is(error?.violations[0]?.pointer, '/4/value');
  t.deepEqual(plan, before);
});

test('json patch hardening › neither the document nor the patch values are mutated, and the result owns its values', (t) => {
  const document = { a: { b: [1, 2] }, c: { d: 1 } };
  const value = { e: [3] };
  const patch: JsonPatch = [{ op: 'add', path: '/a/b/-', value }, { op: 'add', path: '/a/b/2/e/-', value: 4 }, { op: 'copy', from: '/c', path: '/f' }, { op: 'add', path: '/f/g', value: 2 }];
  const snapshot = structuredClone({ document, patch });
  const result = apply(document, patch) as { a: { b: unknown[] }; c: object; f: object };
  t.deepEqual({ document, patch }, snapshot);
  t.deepEqual(result, { a: { b: [1, 2, { e: [3, 4] }] }, c: { d: 1 }, f: { d: 1, g: 2 } });
  t.not(result.a.b[2], value);
  t.is(result.c, document.c, 'untouched subtrees are shared, never copied');
});

test('json patch hardening › a value holding an own __proto__ member stays data and pollutes nothing', (t) => {
  const value = JSON.parse('{"__proto__":{"polluted":true}}');
  const result = apply({}, [{ op: 'add', path: '/x', value }]) as { x: object };
  t.true(Object.hasOwn(result.x, '__proto__'));
  t.is(Object.getPrototypeOf(result.x), Object.prototype);
  t.is(({} as Record<string, unknown>).polluted, undefined);
});

test('json patch hardening › a typed caller that lies with a cast still gets a DomainError', (t) => {
  for (const patch of [[{ op: 'add', value: 1 }], [null], 'nope', [{ op: 'replace', path: '/a', value: undefined }]]) {
    t.throws(() => apply({ a: 1 }, patch), { instanceOf: DomainError });
  }
});

test('json patch hardening › where fast-json-patch was lenient, the RFC error is given', (t) => {
  const failsWith = (document: JsonValue, patch: unknown, pointer: string, message: RegExp) => {
    const error = t.throws(() => apply(document, patch), { instanceOf: DomainError });
    t.is(error?.code, 'PATCH_FAILED');
    t.is(error?.violations[0]?.pointer, pointer);
    t.regex(error?.violations[0]?.message ?? '', message);
  };
  failsWith({ a: [1] }, [{ op: 'add', path: '/a/', value: 0 }], '/0/path', /'' in \/a\/ is not an array index/);
  failsWith({ a: 1 }, [{ op: 'remove', path: '/a/b' }], '/0/path', /\/a\/b does not exist: \/a is a number, which has no members/);
  failsWith({ a: [1] }, [{ op: 'copy', from: '/a/0', path: '/a/3' }], '/0/path', /\/a\/3 cannot be added: \/a has only 1 element$/);
  failsWith({ a: 1 }, [{ op: 'copy', from: '/b', path: '' }], '/0/from', /\/b does not exist/);
});
