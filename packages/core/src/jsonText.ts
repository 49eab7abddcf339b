/** The JSON text of objects already serialised or parsed, by identity; entries go with their objects. */
const texts = new WeakMap<object, string>();

/**
 * `JSON.stringify(value)`, computed once per object: a plan document is serialised for its size
 * check, for the log and for the response, and one text serves all three. An object read by
 * `parseJsonText` answers the text it was read from. Sound because documents are never changed
 * in place once built (every change builds a new one, sharing untouched parts): an object must not
 * be mutated after its text is taken.
 */
export function jsonText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const known = texts.get(value);
  if (known !== undefined) return known;
  const text = JSON.stringify(value);
  texts.set(value, text);
  return text;
}

/** `JSON.parse(text)`, remembering `text` as the result's `jsonText`. */
export function parseJsonText(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (typeof value === 'object' && value !== null) texts.set(value, text);
  return value;
}
