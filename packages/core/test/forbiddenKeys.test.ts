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
