import { isJsonObject, type JsonValue } from './planDocument.js';

/** Every objectId in a document, the document's own included. */
export function collectObjectIds(value: JsonValue | null, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => collectObjectIds(item, into));
  else if (isJsonObject(value)) {
    if (typeof value.objectId === 'string') into.add(value.objectId);
    Object.values(value).forEach((child) => collectObjectIds(child, into));
  }
  return into;
}
