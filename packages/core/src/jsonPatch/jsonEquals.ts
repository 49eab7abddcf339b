import type { JsonValue } from '../planDocument.js';

/**
 * Equality of JSON values as RFC 6902 §4.6 defines it for "test": same type; strings by code
 * points, numbers by value, arrays element by element in order, objects by the same member
 * names with equal values whatever their order; true, false and null only equal themselves.
 */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!jsonEquals(a[i]!, b[i]!)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !jsonEquals(a[key]!, b[key]!)) return false;
  }
  return true;
}
