import type { JsonObject, JsonValue } from '../planDocument.js';

/** A deep copy of a JSON value; a member named `__proto__` stays an own member. */
export function cloneJson(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (typeof value !== 'object' || value === null) return value;
  const copy: JsonObject = {};
  for (const key of Object.keys(value)) defineMember(copy, key, cloneJson(value[key]!));
  return copy;
}

/** A shallow copy of `object` with `key` set to `value`. */
export function withMember(object: JsonObject, key: string, value: JsonValue): JsonObject {
  const copy = { ...object };
  defineMember(copy, key, value);
  return copy;
}

/** A shallow copy of `object` without `key`. */
export function withoutMember(object: JsonObject, key: string): JsonObject {
  const copy = { ...object };
  delete copy[key];
  return copy;
}

function defineMember(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}
