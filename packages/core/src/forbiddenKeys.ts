import { checkedPart, recordOf, type Remembering } from './checkedParts.js';
import { DomainError, type Violation } from './errors.js';

/** Keys that reach prototypes when used as property names or patch path segments. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN.has(key);
}

/**
 * Every forbidden key anywhere in a parsed JSON value, as JSON Pointers, in document order. Walks
 * with an explicit stack, so no nesting depth can overflow the call stack; a pointer is spelled
 * out only for a key it reports (a valid document costs no string work). Parts found clean
 * before are not walked again (see checkedParts).
 */
export function findForbiddenKeys(value: unknown, pointer = '', { remember = false }: Remembering = {}): Violation[] {
  type Entry = { readonly value: unknown; readonly parent: Entry | null; readonly segment: string | number };
  const violations: Violation[] = [];
  const walked: object[] = [];
  const stack: Entry[] = [{ value, parent: null, segment: '' }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const here = item.value;
    if (typeof item.segment === 'string' && item.parent !== null && isForbiddenKey(item.segment)) {
      violations.push({ pointer: pointer + pointerOf(item), message: `'${item.segment}' is not allowed as a key` });
    }
    if (typeof here !== 'object' || here === null || checkedPart(here)?.forbiddenFree) continue;
    if (remember) walked.push(here);
    if (Array.isArray(here)) {
      for (let index = here.length - 1; index >= 0; index -= 1) stack.push({ value: here[index] as unknown, parent: item, segment: index });
      continue;
    }
    const keys = Object.keys(here);
    for (let index = keys.length - 1; index >= 0; index -= 1) {
      const key = keys[index]!;
      stack.push({ value: (here as Record<string, unknown>)[key], parent: item, segment: key });
    }
  }
  if (violations.length === 0) for (const container of walked) recordOf(container).forbiddenFree = true;
  return violations;
}

/** The JSON Pointer of a walk entry, from its chain of parents (the root's own segment is not part of it). */
function pointerOf(entry: { readonly parent: unknown; readonly segment: string | number }): string {
  const segments: string[] = [];
  for (let at = entry as { readonly parent: unknown; readonly segment: string | number } | null; at !== null && at.parent !== null; at = at.parent as typeof at) {
    segments.push(typeof at.segment === 'number' ? String(at.segment) : escapePointer(at.segment));
  }
  return segments.length === 0 ? '' : `/${segments.reverse().join('/')}`;
}

export function assertNoForbiddenKeys(value: unknown, remembering: Remembering = {}): void {
  const violations = findForbiddenKeys(value, '', remembering);
  if (violations.length > 0) {
    throw new DomainError('FORBIDDEN_KEY', 'The body uses a key that is not allowed.', violations);
  }
}

export function escapePointer(segment: string): string {
  if (!segment.includes('~') && !segment.includes('/')) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
