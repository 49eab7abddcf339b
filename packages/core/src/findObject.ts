import { isJsonObject, type JsonObject, type JsonValue } from './planDocument.js';

/** The object with `objectId` anywhere in a document (the document itself included), or null. */
export function findObject(value: JsonValue, objectId: string): JsonObject | null {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findObject(item, objectId);
      if (found) return found;
    }
    return null;
  }
  if (!isJsonObject(value)) return null;
  if (value.objectId === objectId) return value;
  return findObject(Object.values(value), objectId);
}
