import { DomainError, type Violation } from './errors.js';

/** Keys that reach prototypes when used as property names or patch path segments. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN.has(key);
}

/** Every forbidden key anywhere in a parsed JSON value, as JSON Pointers. */
export function findForbiddenKeys(value: unknown, pointer = ''): Violation[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => findForbiddenKeys(item, `${pointer}/${index}`));
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) => {
    const here = `${pointer}/${escapePointer(key)}`;
    const own: Violation[] = isForbiddenKey(key) ? [{ pointer: here, message: `'${key}' is not allowed as a key` }] : [];
    return [...own, ...findForbiddenKeys((value as Record<string, unknown>)[key], here)];
  });
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
