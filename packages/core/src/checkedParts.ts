/**
 * What the write checks found of parts of plan documents, by identity: plan documents are not
 * changed in place once built (a change builds a new one sharing its untouched parts; see
 * jsonText), so the next state of a plan is checked only where its change made new objects. One
 * record per object or array, each check filling in its own findings: a part is entered into
 * this map once, whichever checks it passed. Checks enter parts only when asked to (`remember`):
 * for the result of a change, whose parts the plan's next change shares; not for a create's
 * document or a request body, whose entries would cost more than they save.
 */

/** Whether a check enters what it found into the records (see above); it reads them either way. */
export interface Remembering {
  readonly remember?: boolean;
}
export interface CheckedPart {
  /** No forbidden key anywhere below it. */
  forbiddenFree?: true;
  /** Every nested object strictly below it belongs to this org. */
  org?: string;
  /** How many values lie strictly below it (set with `levels`)… */
  below?: number;
  /** …and how many levels of containers it spans (1: none below it). */
  levels?: number;
  /** It satisfies the schema definition of this name. */
  satisfies?: string;
}

const parts = new WeakMap<object, CheckedPart>();

export function checkedPart(value: object): CheckedPart | undefined {
  return parts.get(value);
}

/** The record of `value`, entered now if it has none. */
export function recordOf(value: object): CheckedPart {
  let part = parts.get(value);
  if (part === undefined) parts.set(value, (part = {}));
  return part;
}
