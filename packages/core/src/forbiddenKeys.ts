import { DomainError, type Violation } from './errors.js';

/** Keys that reach prototypes when used as property names or patch path segments. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN.has(key);
}

/**
 * Every forbidden key anywhere in a parsed JSON value, as JSON Pointers, in document order. Walks
 * with an explicit stack, so no nesting depth can overflow the call stack.
 */
export function findForbiddenKeys(value: unknown, pointer = ''): Violation[] {
  type Entry = { value: unknown; pointer: string; key?: string };
  const violations: Violation[] = [];
  const stack: Entry[] = [{ value, pointer }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.key !== undefined && isForbiddenKey(item.key)) violations.push({ pointer: item.pointer, message: `'${item.key}' is not allowed as a key` });
    const here = item.value;
    if (typeof here !== 'object' || here === null) continue;
    if (Array.isArray(here)) {
      for (let index = here.length - 1; index >= 0; index -= 1) stack.push({ value: here[index] as unknown, pointer: `${item.pointer}/${index}` });
      continue;
    }
    const keys = Object.keys(here);
    for (let index = keys.length - 1; index >= 0; index -= 1) {
      const key = keys[index]!;
      stack.push({ value: (here as Record<string, unknown>)[key], pointer: `${item.pointer}/${escapePointer(key)}`, key });
    }
  }
  return violations;
}

export function assertNoForbiddenKeys(value: unknown): void {
  const violations = findForbiddenKeys(value);
  if (violations.length > 0) {
    throw new DomainError('FORBIDDEN_KEY', 'The body uses a key that is not allowed.', violations);
  }
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
