import test from 'ava';
import { assertNoForbiddenKeys, DomainError, findForbiddenKeys } from '../src/index.js';

test('findForbiddenKeys › finds __proto__, constructor and prototype at any depth with pointers', (t) => {
  const parsed: unknown = JSON.parse('{"a":{"__proto__":{"x":1}},"b":[{"constructor":1}],"prototype":2,"ok":{"c/d":3}}');
  t.deepEqual(findForbiddenKeys(parsed).map((v) => v.pointer).sort(), ['/a/__proto__', '/b/0/constructor', '/prototype']);
  const error = t.throws(() => assertNoForbiddenKeys(parsed), { instanceOf: DomainError });
  t.is(error?.code, 'FORBIDDEN_KEY');
});

test('findForbiddenKeys › a clean document has none', (t) => {
  t.deepEqual(findForbiddenKeys({ a: [1, { b: 'constructor' }] }), []);
});

test('findForbiddenKeys › walks 100,000 levels without recursion and reports in document order', (t) => {
  let deep: unknown = { constructor: 1 };
  for (let level = 0; level < 100_000; level += 1) deep = [deep];
  const found = findForbiddenKeys({ a: { __proto__x: 1, prototype: 1 }, deep, z: { constructor: 2 } });
  t.is(found.length, 3);
  t.deepEqual([found[0]?.pointer, found[2]?.pointer], ['/a/prototype', '/z/constructor']);
  t.true(found[1]?.pointer.startsWith('/deep/0/0/'));
  t.true(found[1]?.pointer.endsWith('/0/constructor'));
});
