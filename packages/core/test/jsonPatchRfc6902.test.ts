import test, { type ExecutionContext } from 'ava';
import { applyJsonPatch, DomainError, type ErrorCode, type JsonPatch, type JsonValue } from '../src/index.js';

/** Applies a patch as a client would send it (unknown shape, parsed from JSON text). */
const apply = (document: JsonValue, patch: unknown) => applyJsonPatch(document, patch as JsonPatch);

function fails(t: ExecutionContext, document: JsonValue, patch: unknown, code: ErrorCode, pointer: string, message?: RegExp): DomainError {
  const before = JSON.stringify(document);
  const error = t.throws(() => apply(document, patch), { instanceOf: DomainError })!;
  t.is(error.code, code, error.message);
  t.is(error.violations[0]?.pointer, pointer, error.message);
  if (message) t.regex(error.violations[0]?.message ?? '', message);
  t.is(JSON.stringify(document), before, 'the document is untouched');
  return error;
}

// RFC 6902 Appendix A, every example, as written there.

test('RFC 6902 A.1 › adding an object member', (t) => {
  t.deepEqual(apply({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }]), { baz: 'qux', foo: 'bar' });
});

test('RFC 6902 A.2 › adding an array element', (t) => {
  t.deepEqual(apply({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }]), { foo: ['bar', 'qux', 'baz'] });
});

test('RFC 6902 A.3 › removing an object member', (t) => {
  t.deepEqual(apply({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }]), { foo: 'bar' });
});

test('RFC 6902 A.4 › removing an array element', (t) => {
  t.deepEqual(apply({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }]), { foo: ['bar', 'baz'] });
});

test('RFC 6902 A.5 › replacing a value', (t) => {
  t.deepEqual(apply({ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }]), { baz: 'boo', foo: 'bar' });
});

test('RFC 6902 A.6 › moving a value', (t) => {
  const document = { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } };
  t.deepEqual(apply(document, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }]), { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } });
});

test('RFC 6902 A.7 › moving an array element', (t) => {
  t.deepEqual(apply({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }]), { foo: ['all', 'cows', 'eat', 'grass'] });
});

test('RFC 6902 A.8 › testing a value: success', (t) => {
  const document = { baz: 'qux', foo: ['a', 2, 'c'] };
  const patch = [
    { op: 'test', path: '/baz', value: 'qux' },
    { op: 'test', path: '/foo/1', value: 2 },
  ];
  t.deepEqual(apply(document, patch), document);
});

test('RFC 6902 A.9 › testing a value: error', (t) => {
  fails(t, { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], 'PATCH_FAILED', '/0/value', /^operation 0 \(test\): the value at \/baz is not equal/);
});

test('RFC 6902 A.10 › adding a nested member object', (t) => {
  t.deepEqual(apply({ foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }]), { foo: 'bar', child: { grandchild: {} } });
});

test('RFC 6902 A.11 › ignoring unrecognized elements', (t) => {
  const patch = JSON.parse('[{ "op": "add", "path": "/baz", "value": "qux", "xyz": 123 }]');
  t.deepEqual(apply({ foo: 'bar' }, patch), { foo: 'bar', baz: 'qux' });
});

test('RFC 6902 A.12 › adding to a nonexistent target is an error', (t) => {
  fails(t, { foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], 'PATCH_FAILED', '/0/path', /\/baz\/bat cannot be added: \/baz does not exist/);
});

// A.13 is about JSON text: `{ "op": "add", "path": "/baz", "value": "qux", "op": "remove" }` has a
// duplicate member. Refusing duplicate members is the body parser's job, before a patch exists as a
// value. Once parsed (JSON.parse keeps the last "op"), the closest this layer can check is that the
// operation is never treated as an "add": it is a remove, its "value" ignored, and it fails here.
test('RFC 6902 A.13 › an operation with a duplicate "op" is never treated as an add', (t) => {
  const patch = JSON.parse('[{ "op": "add", "path": "/baz", "value": "qux", "op": "remove" }]');
  t.is(patch[0].op, 'remove');
  fails(t, { foo: 'bar' }, patch, 'PATCH_FAILED', '/0/path', /^operation 0 \(remove\): \/baz does not exist$/);
});

test('RFC 6902 A.14 › ~ escape ordering', (t) => {
  const document = { '/': 9, '~1': 10 };
  t.deepEqual(apply(document, [{ op: 'test', path: '/~01', value: 10 }]), { '/': 9, '~1': 10 });
});

test('RFC 6902 A.15 › comparing strings and numbers', (t) => {
  fails(t, { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }], 'PATCH_FAILED', '/0/value');
});

test('RFC 6902 A.16 › adding an array value', (t) => {
  t.deepEqual(apply({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }]), { foo: ['bar', ['abc', 'def']] });
});

// RFC 6901 §5: every example pointer against the example document.

const rfc6901 = { foo: ['bar', 'baz'], '': 0, 'a/b': 1, 'c%d': 2, 'e^f': 3, 'g|h': 4, 'i\\j': 5, 'k"l': 6, ' ': 7, 'm~n': 8 };
const pointers: [string, JsonValue][] = [
  ['', rfc6901],
  ['/foo', ['bar', 'baz']],
  ['/foo/0', 'bar'],
  ['/', 0],
  ['/a~1b', 1],
  ['/c%d', 2],
  ['/e^f', 3],
  ['/g|h', 4],
  ['/i\\j', 5],
  ['/k"l', 6],
  ['/ ', 7],
  ['/m~0n', 8],
];
for (const [pointer, value] of pointers) {
  test(`RFC 6901 §5 › '${pointer}' names ${JSON.stringify(value)}`, (t) => {
    t.deepEqual(apply(rfc6901, [{ op: 'test', path: pointer, value }]), rfc6901);
  });
}

// RFC 6902 §4, each operation: what it does and each way it fails.

test('RFC 6902 §4.1 add › replaces an existing member, and the root when the path is empty', (t) => {
  t.deepEqual(apply({ a: 1 }, [{ op: 'add', path: '/a', value: 2 }]), { a: 2 });
  t.deepEqual(apply({ a: 1 }, [{ op: 'add', path: '', value: [1] }]), [1]);
  t.deepEqual(apply({ a: [] }, [{ op: 'add', path: '/a/0', value: 'x' }]), { a: ['x'] });
  t.deepEqual(apply({ a: [1] }, [{ op: 'add', path: '/a/1', value: 2 }]), { a: [1, 2] }, 'an index equal to the length appends');
  t.deepEqual(apply({ '': 1 }, [{ op: 'add', path: '/', value: 2 }]), { '': 2 });
});

test('RFC 6902 §4.1 add › an index past the end, a bad index or a scalar parent is an error', (t) => {
  fails(t, { a: [1] }, [{ op: 'add', path: '/a/2', value: 3 }], 'PATCH_FAILED', '/0/path', /\/a\/2 cannot be added: \/a has only 1 element$/);
  fails(t, { a: [1] }, [{ op: 'add', path: '/a/x', value: 3 }], 'PATCH_FAILED', '/0/path', /'x' in \/a\/x is not an array index/);
  fails(t, { a: [1] }, [{ op: 'add', path: '/a/-1', value: 3 }], 'PATCH_FAILED', '/0/path');
  fails(t, { a: 'text' }, [{ op: 'add', path: '/a/b', value: 3 }], 'PATCH_FAILED', '/0/path', /\/a is a string, which has no members/);
});

test('RFC 6902 §4.2 remove › the target must exist; an array shifts left', (t) => {
  t.deepEqual(apply({ a: [1, 2, 3] }, [{ op: 'remove', path: '/a/0' }]), { a: [2, 3] });
  fails(t, { a: 1 }, [{ op: 'remove', path: '/b' }], 'PATCH_FAILED', '/0/path', /^operation 0 \(remove\): \/b does not exist$/);
  fails(t, { a: [1] }, [{ op: 'remove', path: '/a/1' }], 'PATCH_FAILED', '/0/path');
  fails(t, { a: [1] }, [{ op: 'remove', path: '/a/-' }], 'PATCH_FAILED', '/0/path', /'-' names the position after the last element/);
  fails(t, { a: 1 }, [{ op: 'remove', path: '' }], 'PATCH_FAILED', '/0/path', /the whole document cannot be removed/);
});

test('RFC 6902 §4.3 replace › the target must exist; the empty path replaces the root', (t) => {
  t.deepEqual(apply({ a: [1, 2] }, [{ op: 'replace', path: '/a/1', value: { b: null } }]), { a: [1, { b: null }] });
  t.deepEqual(apply({ a: 1 }, [{ op: 'replace', path: '', value: 'x' }]), 'x');
  fails(t, { a: 1 }, [{ op: 'replace', path: '/b', value: 2 }], 'PATCH_FAILED', '/0/path', /^operation 0 \(replace\): \/b does not exist$/);
  fails(t, { a: [1] }, [{ op: 'replace', path: '/a/1', value: 2 }], 'PATCH_FAILED', '/0/path');
  fails(t, { a: [1] }, [{ op: 'replace', path: '/a/-', value: 2 }], 'PATCH_FAILED', '/0/path');
});

test('RFC 6902 §4.4 move › from must exist; moving to itself changes nothing; not into its own child', (t) => {
  t.deepEqual(apply({ a: { b: 1 } }, [{ op: 'move', from: '/a/b', path: '/c' }]), { a: {}, c: 1 });
  t.deepEqual(apply({ a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a' }]), { a: { b: 1 } });
  t.deepEqual(apply({ a: { b: 1 } }, [{ op: 'move', from: '/a/b', path: '' }]), 1);
  t.deepEqual(apply({ a: 1, ab: 2 }, [{ op: 'move', from: '/a', path: '/ab' }]), { ab: 1 }, "'/a' is no proper prefix of '/ab'");
  fails(t, { a: 1 }, [{ op: 'move', from: '/x', path: '/y' }], 'PATCH_FAILED', '/0/from', /^operation 0 \(move\): \/x does not exist$/);
  fails(t, { a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b/c' }], 'INVALID_PATCH', '/0/from', /cannot move into its own child/);
  fails(t, { a: { b: 1 } }, [{ op: 'move', from: '/a/b', path: '/x/y' }], 'PATCH_FAILED', '/0/path', /\/x\/y cannot be added: \/x does not exist/);
  // The add half sees the document after the remove: /1 gone, /2 is the array, and 'a' no index.
  fails(t, [0, null, {}, []], [{ op: 'move', from: '/1', path: '/2/a' }], 'PATCH_FAILED', '/0/path', /'a' in \/2\/a is not an array index/);
});

test('RFC 6902 §4.5 copy › from must exist; the copy is independent of its source', (t) => {
  const result = apply({ a: { b: [1] } }, [
    { op: 'copy', from: '/a', path: '/c' },
    { op: 'add', path: '/c/b/-', value: 2 },
    { op: 'copy', from: '/a', path: '/a/b/-' },
  ]);
  t.deepEqual(result, { a: { b: [1, { b: [1] }] }, c: { b: [1, 2] } });
  fails(t, { a: 1 }, [{ op: 'copy', from: '/x', path: '/y' }], 'PATCH_FAILED', '/0/from', /^operation 0 \(copy\): \/x does not exist$/);
});

test('RFC 6902 §4.6 test › numbers by value, objects unordered, arrays ordered, types strict', (t) => {
  const document = { n: 1, o: { a: 1, b: [1, 2] }, l: [1, 2], s: 'x', z: null, f: false };
  const same = [
    { op: 'test', path: '/n', value: 1.0 },
    { op: 'test', path: '/n', value: 10e-1 },
    { op: 'test', path: '/o', value: { b: [1, 2], a: 1 } },
    { op: 'test', path: '/l', value: [1, 2] },
    { op: 'test', path: '/z', value: null },
    { op: 'test', path: '/f', value: false },
    { op: 'test', path: '', value: document },
  ];
  t.deepEqual(apply(document, same), document);
  for (const [path, value] of [['/l', [2, 1]], ['/o', { a: 1 }], ['/o', { a: 1, b: [1, 2], c: 3 }], ['/z', false], ['/f', 0], ['/s', ['x']], ['/n', '1'], ['/l', { 0: 1, 1: 2 }]] as const) {
    fails(t, document, [{ op: 'test', path, value }], 'PATCH_FAILED', '/0/value');
  }
  fails(t, document, [{ op: 'test', path: '/missing', value: null }], 'PATCH_FAILED', '/0/path', /\/missing does not exist/);
});

test('RFC 6902 §5 › an error in any operation applies none of them', (t) => {
  const document = { a: 1, b: [1, 2] };
  const error = fails(t, document, [{ op: 'replace', path: '/a', value: 2 }, { op: 'remove', path: '/b/0' }, { op: 'remove', path: '/c' }], 'PATCH_FAILED', '/2/path');
  t.is(error.message, 'The patch cannot be applied: operation 2 (remove): /c does not exist.');
  t.deepEqual(document, { a: 1, b: [1, 2] });
});

test('RFC 6902 §3 › an empty patch changes nothing; operations apply in order', (t) => {
  t.deepEqual(apply({ a: 1 }, []), { a: 1 });
  t.deepEqual(apply({}, [{ op: 'add', path: '/a', value: [] }, { op: 'add', path: '/a/-', value: 1 }, { op: 'test', path: '/a/0', value: 1 }]), { a: [1] });
});
