import { isDeepStrictEqual } from 'node:util';
import test from 'ava';
import fc from 'fast-check';
import { canonicalDeep, canonicalJson } from '../src/canonicalJson.js';

test('canonicalJson › the same text as the explicit-stack walker, for any JSON value; it parses back to the value', (t) => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const text = canonicalJson(value);
      return text === canonicalDeep(value) && isDeepStrictEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

test('canonicalJson › member order does not matter; undefined members are left out, undefined elements are null', (t) => {
  t.is(canonicalJson({ b: [1, { d: 2, c: 3 }], a: null }), canonicalJson({ a: null, b: [1, { c: 3, d: 2 }] }));
  t.is(canonicalJson({ b: 1, a: { z: true, y: 'x' } }), '{"a":{"y":"x","z":true},"b":1}');
  t.is(canonicalJson({ a: undefined, b: [undefined, 2] }), '{"b":[null,2]}');
});

test('canonicalJson › nesting far past the recursion bound does not exhaust the stack', (t) => {
  let deep: unknown = 'leaf';
  for (let i = 0; i < 20_000; i += 1) deep = i % 2 === 0 ? [deep] : { k: deep };
  const text = canonicalJson(deep);
  t.true(text.includes('"leaf"'));
  t.is(text, canonicalDeep(deep));
});
