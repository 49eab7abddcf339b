/** A JSON value as stored: plans are plain JSON trees. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A plan document: a JSON object with at least these keys (the schema says the rest). */
export interface PlanDocument extends JsonObject {
  objectId: string;
  objectType: string;
  _org: string;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
