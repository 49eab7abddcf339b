import test from 'ava';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { DomainError } from '../src/errors.js';
import { findForbiddenKeys, isForbiddenKey } from '../src/forbiddenKeys.js';
import { applyMergePatch } from '../src/mergePatch.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../src/planDocument.js';

/** RFC 7396 Appendix A, every example: [original, patch, result]. */
const appendixA: [JsonValue, JsonValue, JsonValue][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

for (const [index, [original, patch, result]] of appendixA.entries()) {
  test(`applyMergePatch › RFC 7396 Appendix A example ${index + 1}: ${JSON.stringify(original)} + ${JSON.stringify(patch)}`, (t) => {
    t.deepEqual(applyMergePatch(original, patch), result);
  });
}

test('applyMergePatch › leaves both inputs untouched and shares nothing with them', (t) => {
  const target: JsonValue = { a: { b: 1, keep: [1, 2] }, gone: 'x' };
  const patch: JsonValue = { a: { b: 2, list: [{ c: 3 }] }, gone: null };
  const result = applyMergePatch(target, patch);
  t.deepEqual(result, { a: { b: 2, keep: [1, 2], list: [{ c: 3 }] } });
  t.deepEqual(target, { a: { b: 1, keep: [1, 2] }, gone: 'x' });
  t.deepEqual(patch, { a: { b: 2, list: [{ c: 3 }] }, gone: null });
  const merged = result as { a: { keep: number[]; list: JsonValue[] } };
  t.not(merged.a.keep, (target.a as { keep: number[] }).keep);
  t.not(merged.a.list, (patch.a as { list: JsonValue[] }).list);
});

test('applyMergePatch › a member named like an Object.prototype method is just a member', (t) => {
  t.deepEqual(applyMergePatch({}, { toString: { a: 1 }, hasOwnProperty: null }), { toString: { a: 1 } });
});

test('applyMergePatch › refuses __proto__, constructor and prototype anywhere in the patch', (t) => {
  const patch = JSON.parse('{"a":{"__proto__":{"polluted":true}},"b":[{"constructor":1}],"prototype":null}') as JsonValue;
  const error = t.throws(() => applyMergePatch({}, patch), { instanceOf: DomainError });
  t.is(error?.code, 'FORBIDDEN_KEY');
  t.deepEqual(error?.violations.map((v) => v.pointer).sort(), ['/a/__proto__', '/b/0/constructor', '/prototype']);
  t.false(Object.hasOwn(Object.prototype, 'polluted'));
});

const key = fc.string().filter((k) => !isForbiddenKey(k));
const jsonObject = fc.object({
  key,
  values: [fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.constant(null)],
}) as fc.Arbitrary<JsonObject>;
const jsonValue = fc.jsonValue().filter((value) => findForbiddenKeys(value).length === 0) as fc.Arbitrary<JsonValue>;

/** `value` as a merge patch that sets what it holds: object members that are null left out. */
function withoutNulls(value: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const [name, member] of Object.entries(value)) {
    if (member !== null) result[name] = isJsonObject(member) ? withoutNulls(member) : member;
  }
  return result;
}

test('applyMergePatch › x merged with itself as a patch (nulls left out) is x', (t) => {
  t.notThrows(() => fc.assert(fc.property(jsonObject, (x) => isDeepStrictEqual(applyMergePatch(x, withoutNulls(x)), x))));
});

test('applyMergePatch › never mutates its inputs', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(jsonValue, jsonValue, (target, patch) => {
        const [targetBefore, patchBefore] = [structuredClone(target), structuredClone(patch)];
        applyMergePatch(target, patch);
        return isDeepStrictEqual(target, targetBefore) && isDeepStrictEqual(patch, patchBefore);
      }),
    ),
  );
});
