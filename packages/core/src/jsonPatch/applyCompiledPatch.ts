import { DomainError } from '../errors.js';
import type { JsonObject, JsonValue } from '../planDocument.js';
import { cloneJson, withMember, withoutMember } from './cloneJson.js';
import { describeKind } from './describeKind.js';
import { jsonEquals } from './jsonEquals.js';
import { pointerOf } from './parseJsonPointer.js';
import type { CompiledOperation } from './validateJsonPatch.js';

/** Why one operation could not apply, and which of its members is at fault. */
class OperationFailure extends Error {
  constructor(
    readonly member: 'path' | 'from' | 'value',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Applies validated operations in order (RFC 6902 §3, §4), all or nothing. Nothing is mutated:
 * each operation copies only the containers on its path, so `document` and every operation value
 * stay as they were, and untouched subtrees of `document` are shared with the result (treat both
 * as immutable). Throws PATCH_FAILED naming the operation, its pointer and why.
 */
export function applyCompiledPatch(document: JsonValue | null, operations: readonly CompiledOperation[]): JsonValue {
  let current: JsonValue = document;
  operations.forEach((compiled, index) => {
    try {
      current = applyOperation(current, compiled);
    } catch (error) {
      if (!(error instanceof OperationFailure)) throw error;
      const message = `operation ${index} (${compiled.operation.op}): ${error.message}`;
      throw new DomainError('PATCH_FAILED', `The patch cannot be applied: ${message}.`, [{ pointer: `/${index}/${error.member}`, message }]);
    }
  });
  return current;
}

function applyOperation(document: JsonValue, { operation, path, from }: CompiledOperation): JsonValue {
  switch (operation.op) {
    case 'add':
      return add(document, path, cloneJson(operation.value));
    case 'remove':
      return remove(document, path);
    case 'replace':
      valueAt(document, path, 'path');
      return path.length === 0 ? cloneJson(operation.value) : update(document, path, (parent, key) => setChild(parent, key, cloneJson(operation.value)));
    case 'move': {
      const value = valueAt(document, from!, 'from');
      if (from!.length === path.length && from!.every((segment, i) => segment === path[i])) return document;
      return add(remove(document, from!, 'from'), path, value);
    }
    case 'copy':
      return add(document, path, cloneJson(valueAt(document, from!, 'from')));
    case 'test':
      if (!jsonEquals(valueAt(document, path, 'path'), operation.value)) {
        throw new OperationFailure('value', `the value at ${pointerOf(path) || 'the root'} is not equal to the tested value`);
      }
      return document;
  }
}

function add(document: JsonValue, path: readonly string[], value: JsonValue): JsonValue {
  if (path.length === 0) return value;
  return update(document, path, (parent, key) => {
    if (Array.isArray(parent)) {
      const index = key === '-' ? parent.length : arrayIndex(key, () => pointerOf(path), 'path');
      if (index > parent.length) throw new OperationFailure('path', `${pointerOf(path)} cannot be added: ${pointerOf(path, path.length - 1) || 'the root array'} has only ${parent.length} element${parent.length === 1 ? '' : 's'}`);
      return [...parent.slice(0, index), value, ...parent.slice(index)];
    }
    return withMember(parent, key, value);
  });
}

function remove(document: JsonValue, path: readonly string[], member: 'path' | 'from' = 'path'): JsonValue {
  if (path.length === 0) throw new OperationFailure(member, 'the whole document cannot be removed');
  valueAt(document, path, member);
  return update(document, path, (parent, key) => {
    if (Array.isArray(parent)) {
      const index = Number(key);
      return [...parent.slice(0, index), ...parent.slice(index + 1)];
    }
    return withoutMember(parent, key);
  }, member);
}

function setChild(parent: JsonValue[] | JsonObject, key: string, value: JsonValue): JsonValue {
  if (!Array.isArray(parent)) return withMember(parent, key, value);
  const copy = parent.slice();
  copy[Number(key)] = value;
  return copy;
}

/**
 * Rebuilds `document` with the container that holds the last token of `path` replaced by
 * `change(container, lastToken)`; containers on the way are copied, nothing else is.
 */
function update(
  document: JsonValue,
  path: readonly string[],
  change: (parent: JsonValue[] | JsonObject, key: string) => JsonValue,
  member: 'path' | 'from' = 'path',
): JsonValue {
  const rebuild = (node: JsonValue, depth: number): JsonValue => {
    const key = path[depth]!;
    if (typeof node !== 'object' || node === null) {
      const where = pointerOf(path, depth) || 'the document';
      throw new OperationFailure(member, `${pointerOf(path)} cannot be added: ${where} is ${describeKind(node)}, which has no members`);
    }
    if (depth === path.length - 1) return change(node, key);
    const child = childOf(node, path, depth, member, 'parent');
    return setChild(node, key, rebuild(child, depth + 1));
  };
  return rebuild(document, 0);
}

/** The value `path` names; fails when it does not exist. */
function valueAt(document: JsonValue, path: readonly string[], member: 'path' | 'from'): JsonValue {
  let node = document;
  for (let depth = 0; depth < path.length; depth += 1) {
    if (typeof node !== 'object' || node === null) {
      const where = pointerOf(path, depth) || 'the document';
      throw new OperationFailure(member, `${pointerOf(path)} does not exist: ${where} is ${describeKind(node)}, which has no members`);
    }
    node = childOf(node, path, depth, member, 'target');
  }
  return node;
}

function childOf(node: JsonValue[] | JsonObject, path: readonly string[], depth: number, member: 'path' | 'from', role: 'parent' | 'target'): JsonValue {
  const key = path[depth]!;
  // Messages are built only on failure: this runs for every token of every event the fold applies.
  const missing = () => {
    const full = pointerOf(path);
    const here = pointerOf(path, depth + 1);
    return new OperationFailure(
      member,
      role === 'parent' ? `${full} cannot be added: ${here} does not exist` : depth === path.length - 1 ? `${full} does not exist` : `${full} does not exist: ${here} is missing`,
    );
  };
  if (Array.isArray(node)) {
    if (key === '-') throw new OperationFailure(member, `${pointerOf(path)} does not exist: '-' names the position after the last element of ${pointerOf(path, depth) || 'the root array'}`);
    const index = arrayIndex(key, () => pointerOf(path, depth + 1), member);
    if (index >= node.length) throw missing();
    return node[index]!;
  }
  if (!Object.hasOwn(node, key)) throw missing();
  return node[key]!;
}

/** RFC 6901 §4: an array index is '0' or digits without a leading zero. */
function arrayIndex(key: string, pointer: () => string, member: 'path' | 'from'): number {
  if (!/^(0|[1-9][0-9]*)$/.test(key)) {
    throw new OperationFailure(member, `'${key}' in ${pointer()} is not an array index (write 0, or a number without leading zeros${member === 'path' ? ", or '-' to add at the end" : ''})`);
  }
  return Number(key);
}
