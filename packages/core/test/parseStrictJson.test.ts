import test from 'ava';
import fc from 'fast-check';
import { JsonRejected, parseStrictJson } from '../src/index.js';

const limits = { maxDepth: 32, maxArrayLength: 10_000 };
const parse = (text: string, bounds = limits) => parseStrictJson(text, bounds);
const rejection = (t: { throws: (fn: () => unknown, expectations: object) => unknown }, text: string, bounds = limits) =>
  t.throws(() => parse(text, bounds), { instanceOf: JsonRejected }) as JsonRejected;

/** How deep a value nests: a root object or array is level 1, as for the parser's limit. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [here, depth] = item;
    if (typeof here !== 'object' || here === null) continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(here)) stack.push([child, depth + 1]);
  }
  return deepest;
}
const longestArray = (text: string) => {
  let longest = 0;
  JSON.parse(text, (_key, value: unknown) => {
    if (Array.isArray(value)) longest = Math.max(longest, value.length);
    return value;
  });
  return longest;
};

test('parseStrictJson › equals JSON.parse for any JSON value within bounds (unique keys by construction)', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        fc.pre(depthOf(JSON.parse(text)) <= limits.maxDepth);
        t.deepEqual(parse(text), JSON.parse(text));
      }),
      { numRuns: 500 },
    ),
  );
});

test('parseStrictJson › equals JSON.parse on strings with escapes, unicode and lone surrogates', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u00e9', '\\uD800', '\\udc00', 'a', 'é', '😀') }), (plain, escaped) => {
        const text = `[${JSON.stringify(plain)},"${escaped}",{"${escaped}":1}]`;
        t.deepEqual(parse(text), JSON.parse(text));
      }),
      { numRuns: 300 },
    ),
  );
});

test('parseStrictJson › refuses whatever JSON.parse refuses, and never throws anything but JsonRejected', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json().map((text) => text.slice(0, Math.max(0, text.length - 1)))), (text) => {
        let native: unknown;
        try {
          native = { value: JSON.parse(text) as unknown };
        } catch {
          native = null;
        }
        try {
          parse(text);
          return native !== null;
        } catch (error) {
          return error instanceof JsonRejected;
        }
      }),
      { numRuns: 1000 },
    ),
  );
});

test('parseStrictJson › depth past the limit is refused with its pointer, never a RangeError, even at 100,000 levels', (t) => {
  for (const depth of [33, 3_000, 100_000]) {
    const error = rejection(t, '['.repeat(depth) + ']'.repeat(depth));
    t.is(error.code, 'LIMIT_EXCEEDED');
    t.is(error.pointer, '/0'.repeat(32));
    t.is(error.byteOffset, 32);
  }
  const objects = rejection(t, '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000));
  t.is(objects.pointer, '/a'.repeat(32));
  t.regex(objects.message, /nesting deeper than 32 levels at \/a\/a.*\(byte 160\)/);
});

test('parseStrictJson › depth limit: just under and at the limit parse, one over is refused', (t) => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  t.is(depthOf(parse(nested(31))), 31);
  t.is(depthOf(parse(nested(32))), 32);
  t.is(rejection(t, nested(33)).code, 'LIMIT_EXCEEDED');
  t.is(depthOf(parse(nested(4), { maxDepth: 4, maxArrayLength: 10 })), 4);
  t.is(rejection(t, nested(5), { maxDepth: 4, maxArrayLength: 10 }).pointer, '/0/0/0/0');
});

test('parseStrictJson › array length: at the limit parses, one more item is refused at the item past it', (t) => {
  const array = (length: number) => JSON.stringify({ list: Array.from({ length }, (_, index) => index) });
  t.is(longestArray(array(9_999)), 9_999);
  t.deepEqual(parse(array(10_000)), JSON.parse(array(10_000)));
  const error = rejection(t, array(10_001));
  t.is(error.code, 'LIMIT_EXCEEDED');
  t.is(error.pointer, '/list/10000');
  t.regex(error.message, /an array with more than 10000 items/);
});

test('parseStrictJson › a duplicate member is refused with its pointer and byte offset, at any depth', (t) => {
  const text = '{"planCostShares":{"copay":1,"deductible":2,"copay":3}}';
  const error = rejection(t, text);
  t.is(error.code, 'INVALID_JSON');
  t.is(error.pointer, '/planCostShares/copay');
  t.is(error.byteOffset, text.lastIndexOf('"copay"'));
  t.is(error.message, `The body is JSON this api refuses: duplicate member 'copay' at /planCostShares/copay (byte ${text.lastIndexOf('"copay"')}).`);
  t.is(rejection(t, '[{"a":1},{"b":{"x~/":1,"\\u0078~/":2}}]').pointer, '/1/b/x~0~1', 'names compare after unescaping');
  t.is(rejection(t, '{"__proto__":1,"__proto__":2}').pointer, '/__proto__');
  t.deepEqual(parse('[{"a":1},{"a":2}]'), [{ a: 1 }, { a: 2 }], 'the same name in sibling objects is fine');
});

test('parseStrictJson › byte offsets count UTF-8 bytes, not UTF-16 units', (t) => {
  t.is(rejection(t, '{"é😀":1,"é😀":2}').byteOffset, 1 + 1 + 2 + 4 + 1 + 2 + 1);
});

test('parseStrictJson › a number out of range or underflowing to 0 is refused; -0 reads as 0', (t) => {
  for (const literal of ['1e400', '-1e400', '1.8e308', '123456789e305']) {
    const error = rejection(t, `{"copay":${literal}}`);
    t.is(error.pointer, '/copay');
    t.is(error.message, `The body is JSON this api refuses: number ${literal} is out of range at /copay (byte 9).`);
  }
  for (const literal of ['1e-400', '-2.5e-350', '0.0000001e-330']) {
    t.regex(rejection(t, `[${literal}]`).message, new RegExp(`number ${literal.replace(/[.+]/g, '\\$&')} underflows to 0; send 0 if zero is meant at /0 \\(byte 1\\)`));
  }
  for (const zero of ['0', '-0', '-0.0', '0e-400', '-0E+5', '0.000']) t.true(Object.is(parse(zero), 0), zero);
  t.is(parse('5e-324'), 5e-324, 'the smallest subnormal is kept');
  t.is(parse('1.7976931348623157e308'), Number.MAX_VALUE);
});

test('parseStrictJson › __proto__ becomes an own property and never a prototype', (t) => {
  const value = parse('{"__proto__":{"polluted":true},"a":{"__proto__":[]}}') as Record<string, unknown>;
  t.is(Object.getPrototypeOf(value), Object.prototype);
  t.true(Object.hasOwn(value, '__proto__'));
  t.is(({} as Record<string, unknown>).polluted, undefined);
  t.deepEqual(Object.keys(value), ['__proto__', 'a']);
  t.deepEqual(value, JSON.parse('{"__proto__":{"polluted":true},"a":{"__proto__":[]}}'));
});

test('parseStrictJson › syntax errors say what was expected, where', (t) => {
  const cases: [string, string][] = [
    ['', 'the body ends where a JSON value was expected at the root (byte 0)'],
    ['{"a":1,}', "unexpected '}' where a member name in double quotes was expected at the root (byte 7)"],
    ['[1,]', "unexpected ']' where a JSON value was expected at /1 (byte 3)"],
    ['{"a" 1}', "unexpected '1' where ':' after member 'a' was expected at /a (byte 5)"],
    ['["a\nb"]', 'unescaped control character U+000A inside a string at /0 (byte 3)'],
    ['"\\x"', "invalid escape '\\x' inside a string at the root (byte 1)"],
    ['"\\u12g4"', 'a \\u escape needs four hexadecimal digits at the root (byte 1)'],
    ['01', "unexpected '1' after the end of the JSON value at the root (byte 1)"],
    ['[1.]', 'where a digit after the decimal point was expected at /0 (byte 3)'],
    ['{"a":[tru]}', "unexpected 't' where a JSON value was expected at /a/0 (byte 6)"],
    ['{"a":"b', 'the body ends inside a string at /a (byte 7)'],
  ];
  for (const [text, words] of cases) t.true(rejection(t, text).message.includes(words), `${JSON.stringify(text)}: ${rejection(t, text).message}`);
});
