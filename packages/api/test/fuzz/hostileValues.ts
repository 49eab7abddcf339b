import fc from 'fast-check';

/** Strings and numbers that have broken parsers before: dot segments, escapes, prototype keys, edge numbers, dates. */
export const hostileString = fc.oneof(
  fc.constantFrom('', '.', '..', '...', '/', '%2e', '%2E%2E', '~', '~0', '~1', '~2', '__proto__', 'constructor', 'prototype', 'null', 'other.example', 'example.com', '$ID', '$ID-lps1', ' ', '\u0000', 'é', '😀', '<script>', '0', '01', '-', '-1', '1e400'),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 100, max: 3000 }).map((n) => 'x'.repeat(n)),
);

export const hostileNumber = fc.oneof(
  fc.constantFrom(0, -1, 1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 175, 23),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

export const dateLike = fc.constantFrom('12-12-2017', '2017-12-12', '02-30-2017', '2017-02-30', '13-01-2017', '2017-12-12T00:00:00Z', 'garbage', '', '12/12/2017', '0000-00-00', '9999-12-31', '06-01-2030');

/** A small JSON value with hostile leaves. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.constantFrom(null, true, false),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom('objectId', 'objectType', '_org', 'copay', 'deductible', 'name')), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** JSON text of arrays (or objects) nested `depth` levels deep, built as text (JSON.stringify would recurse). */
export function nestedText(depth: number, shape: 'array' | 'object'): string {
  return shape === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** `JSON.stringify(value)` with the string "__DEEP__" replaced by deeply nested JSON. */
export function stringifyWithDeep(value: unknown, depth: number, shape: 'array' | 'object'): string {
  return (JSON.stringify(value) ?? 'null').replace('"__DEEP__"', nestedText(depth, shape));
}

export const deepNesting = fc.record({ depth: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(1999, 2000, 2001, 3000, 5000, 10000)), shape: fc.constantFrom('array' as const, 'object' as const) });
