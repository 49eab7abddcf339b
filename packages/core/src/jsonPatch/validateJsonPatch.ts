import { DomainError, type Violation } from '../errors.js';
import { isForbiddenKey } from '../forbiddenKeys.js';
import type { JsonValue } from '../planDocument.js';
import { describeKind } from './describeKind.js';
import { JSON_PATCH_OPS, type JsonPatch, type JsonPatchOp, type JsonPatchOperation } from './jsonPatchTypes.js';
import { parseJsonPointer } from './parseJsonPointer.js';

/** A validated operation with its pointers already parsed into reference tokens. */
export interface CompiledOperation {
  readonly operation: JsonPatchOperation;
  readonly path: readonly string[];
  /** Tokens of `from`, for move and copy only. */
  readonly from?: readonly string[];
}

interface Found extends Violation {
  readonly forbidden?: true;
}

/**
 * Checks the shape of every operation of an RFC 6902 patch before any is applied, and returns it
 * with only the members each op defines (RFC 6902 §4: other members are ignored).
 * Throws INVALID_PATCH listing every malformed member, or FORBIDDEN_KEY when the only fault is a
 * pointer through `__proto__`, `constructor` or `prototype`.
 */
export function validateJsonPatch(patch: unknown): JsonPatch {
  return compileJsonPatch(patch).map((compiled) => compiled.operation);
}

export function compileJsonPatch(patch: unknown): CompiledOperation[] {
  if (!Array.isArray(patch)) {
    throw new DomainError('INVALID_PATCH', `A JSON Patch must be an array of operations, not ${describeKind(patch)}.`, [
      { pointer: '', message: `must be an array of operations, not ${describeKind(patch)}` },
    ]);
  }
  const compiled: CompiledOperation[] = [];
  const found: Found[] = [];
  patch.forEach((raw: unknown, index: number) => {
    const result = compileOperation(raw, index, found);
    if (result) compiled.push(result);
  });
  if (found.length > 0) throw malformed(found);
  return compiled;
}

function compileOperation(raw: unknown, index: number, found: Found[]): CompiledOperation | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    found.push({ pointer: `/${index}`, message: `operation ${index} must be an object with an "op" member, not ${describeKind(raw)}` });
    return undefined;
  }
  const member = raw as Record<string, unknown>;
  const op = member.op;
  if (typeof op !== 'string' || !(JSON_PATCH_OPS as readonly string[]).includes(op)) {
    const given = op === undefined ? 'has no "op"' : `has "op" ${typeof op === 'string' ? JSON.stringify(op) : describeKind(op)}`;
    found.push({ pointer: `/${index}/op`, message: `operation ${index} ${given}; "op" must be one of ${JSON_PATCH_OPS.join(', ')}` });
    return undefined;
  }
  const name = op as JsonPatchOp;
  const label = `operation ${index} (${name})`;
  const before = found.length;
  const path = pointerMember(member, 'path', index, label, found);
  const from = name === 'move' || name === 'copy' ? pointerMember(member, 'from', index, label, found) : undefined;
  const needsValue = name === 'add' || name === 'replace' || name === 'test';
  if (needsValue && member.value === undefined) {
    found.push({ pointer: `/${index}/value`, message: `${label} has no "value"` });
  }
  if (name === 'move' && path && from && isProperPrefix(from.segments, path.segments)) {
    found.push({
      pointer: `/${index}/from`,
      message: `${label}: ${from.text === '' ? 'the whole document' : from.text} cannot move into its own child ${path.text} ("from" must not be a proper prefix of "path")`,
    });
  }
  if (found.length > before || !path) return undefined;
  const value = member.value as JsonValue;
  switch (name) {
    case 'add':
    case 'replace':
    case 'test':
      return { operation: { op: name, path: path.text, value }, path: path.segments };
    case 'remove':
      return { operation: { op: name, path: path.text }, path: path.segments };
    case 'move':
    case 'copy':
      return { operation: { op: name, from: from!.text, path: path.text }, path: path.segments, from: from!.segments };
  }
}

function pointerMember(member: Record<string, unknown>, key: 'path' | 'from', index: number, label: string, found: Found[]): { text: string; segments: readonly string[] } | undefined {
  const text = member[key];
  const pointer = `/${index}/${key}`;
  if (text === undefined) {
    found.push({ pointer, message: `${label} has no "${key}"` });
    return undefined;
  }
  if (typeof text !== 'string') {
    found.push({ pointer, message: `${label}: "${key}" must be a string holding a JSON Pointer, not ${describeKind(text)}` });
    return undefined;
  }
  const known = VALID_POINTERS.get(text);
  if (known) return { text, segments: known };
  const parsed = parseJsonPointer(text);
  if (!parsed.ok) {
    found.push({ pointer, message: `${label}: "${key}" ${parsed.reason}` });
    return undefined;
  }
  const forbidden = parsed.segments.find(isForbiddenKey);
  if (forbidden !== undefined) {
    found.push({ pointer, message: `${label}: "${key}" '${text}' reaches the forbidden key '${forbidden}'`, forbidden: true });
    return undefined;
  }
  if (text.length <= 256) {
    if (VALID_POINTERS.size >= 4_096) VALID_POINTERS.clear();
    VALID_POINTERS.set(text, parsed.segments);
  }
  return { text, segments: parsed.segments };
}

/**
 * Pointers already parsed and found allowed, by text: the same few paths come back in patch after
 * patch (a fold of a plan's history parses each event's pointers again). Bounded; short texts only.
 */
const VALID_POINTERS = new Map<string, readonly string[]>();

/** RFC 6902 §4.4: a location cannot be moved into one of its children. */
function isProperPrefix(prefix: readonly string[], of: readonly string[]): boolean {
  return prefix.length < of.length && prefix.every((segment, i) => segment === of[i]);
}

function malformed(found: readonly Found[]): DomainError {
  const violations = found.map(({ pointer, message }) => ({ pointer, message }));
  const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
  if (found.every((violation) => violation.forbidden)) {
    return new DomainError('FORBIDDEN_KEY', `The patch uses a path that is not allowed: ${found[0]!.message}${more}.`, violations);
  }
  return new DomainError('INVALID_PATCH', `The JSON Patch is malformed: ${found[0]!.message}${more}.`, violations);
}
