import { Ajv2020, type DefinedError, type ValidateFunction } from 'ajv/dist/2020.js';
import { checkedPart, recordOf, type Remembering } from './checkedParts.js';
import { objectIdsIn } from './collectObjectIds.js';
import type { Violation } from './errors.js';
import { escapePointer, findForbiddenKeys } from './forbiddenKeys.js';
import { objectIdProblem } from './objectIdProblem.js';
import { readPlanDate } from './parsePlanDate.js';
import { jsonText } from './jsonText.js';
import { isJsonObject, type JsonObject } from './planDocument.js';
import { PLAN_SCHEMA } from './planSchema.js';

/** Deepest nesting of objects and arrays; the root object is level 1 (a sample plan uses 4). */
export const MAX_PLAN_DEPTH = 8;
/** Most values (objects, arrays and scalars, the root included) in one plan. */
export const MAX_PLAN_NODES = 20_000;
/** Largest plan, measured as the length of its JSON.stringify output (256 KiB). */
export const MAX_PLAN_BYTES = 256 * 1024;
/** At most this many violations are reported for one document. */
export const MAX_REPORTED_VIOLATIONS = 50;

// allErrors is safe here only because validatePlan bounds depth, node count and size before
// ajv ever sees the document, and the schema bounds every string and array. verbose gives each
// error its value, so a pattern failure can say why. Compiled on first use: most processes that
// load core (projector, relay, replay, verify) never validate a plan, and compiling costs ~75 ms.
interface PlanValidators {
  /** The whole schema, for the violations. */
  readonly plan: ValidateFunction;
  /** The schema without the items of its arrays of objects (`linkedPlanServices`)… */
  readonly shallow: ValidateFunction;
  /** …whose items are checked one by one, each against its own definition. */
  readonly items: readonly { readonly property: string; readonly definition: string; readonly item: ValidateFunction }[];
}
let compiled: PlanValidators | undefined;
const planValidators = (): PlanValidators => (compiled ??= compileValidators());

function compileValidators(): PlanValidators {
  const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true });
  const plan = ajv.compile(PLAN_SCHEMA);
  const properties: Record<string, object> = { ...PLAN_SCHEMA.properties };
  const items: { property: string; definition: string; item: ValidateFunction }[] = [];
  for (const [property, schema] of Object.entries(PLAN_SCHEMA.properties)) {
    if (!('items' in schema)) continue;
    const { items: itemSchema, ...array } = schema;
    properties[property] = array;
    items.push({ property, definition: itemSchema.$ref, item: ajv.compile({ $ref: `${PLAN_SCHEMA.$id}${itemSchema.$ref}` }) });
  }
  const shallow = ajv.compile({ ...PLAN_SCHEMA, $id: `${PLAN_SCHEMA.$id}:shallow`, properties });
  return { plan, shallow, items };
}

/**
 * Whether `document` satisfies the schema, checking each item of its arrays of objects once: an
 * item found valid is remembered (see checkedParts), so a change of one item of a plan with a
 * hundred checks that one, not a hundred.
 */
function satisfiesSchema(document: JsonObject, { shallow, items }: PlanValidators, remember: boolean): boolean {
  if (!shallow(document)) return false;
  for (const { property, definition, item } of items) {
    const list = document[property];
    if (!Array.isArray(list)) continue;
    for (const element of list) if (!(isJsonObject(element) && checkedPart(element)?.satisfies === definition) && !item(element)) return false;
    if (remember) for (const element of list) if (isJsonObject(element)) recordOf(element).satisfies = definition;
  }
  return true;
}

/** Every way `document` fails to be a valid plan, as JSON Pointers; empty when it is valid. With `remember`, what it found of the document's parts is kept for the plan's next change (see checkedParts). */
export function validatePlan(document: unknown, { remember = false }: Remembering = {}): Violation[] {
  if (!isJsonObject(document)) return [{ pointer: '', message: 'must be an object' }];
  const early = checkBounds(document, remember) ?? checkSize(document) ?? nonEmpty(findForbiddenKeys(document, '', { remember }));
  if (early) return early.slice(0, MAX_REPORTED_VIOLATIONS);
  const validators = planValidators();
  // The whole schema runs only to report what is wrong, in its order.
  const violations = satisfiesSchema(document, validators, remember) || validators.plan(document) ? [] : ((validators.plan.errors ?? []) as DefinedError[]).map(toViolation);
  const dates = violations.some((violation) => violation.pointer === '/creationDate') ? [] : findImpossibleDates(document);
  return [...violations, ...dates, ...findDuplicateObjectIds(document, remember)].slice(0, MAX_REPORTED_VIOLATIONS);
}

/** The schema checks a date's shape; the calendar (no 02-30-2020) is checked here. */
function findImpossibleDates(document: Record<string, unknown>): Violation[] {
  const value = document['creationDate'];
  if (typeof value !== 'string') return [];
  const result = readPlanDate(value);
  return 'problem' in result ? [{ pointer: '/creationDate', message: result.problem }] : [];
}

/** The bounds, reusing the sizes of parts measured before (see checkedParts); should one be crossed, the full walk says where. */
function checkBounds(document: object, remember: boolean): Violation[] | undefined {
  const walked: object[] = [];
  const stack: { readonly value: object; readonly depth: number }[] = [{ value: document, depth: 1 }];
  let nodes = 1;
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, depth } = item;
    const known = checkedPart(value);
    if (known?.below !== undefined && known.levels !== undefined) {
      nodes += known.below;
      if (depth + known.levels - 1 > MAX_PLAN_DEPTH || nodes > MAX_PLAN_NODES) return firstBoundCrossed(document);
      continue;
    }
    if (depth > MAX_PLAN_DEPTH) return firstBoundCrossed(document);
    const keys = Object.keys(value);
    nodes += keys.length;
    if (nodes > MAX_PLAN_NODES) return firstBoundCrossed(document);
    if (remember) walked.push(value);
    for (const key of keys) {
      const child: unknown = (value as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 });
    }
  }
  // Children were walked after their parents: measured in reverse, each child is known before its parent.
  for (let i = walked.length - 1; i >= 0; i -= 1) {
    const value = walked[i]!;
    let below = 0;
    let levels = 1;
    for (const child of Object.values(value) as unknown[]) {
      if (typeof child !== 'object' || child === null) continue;
      const known = checkedPart(child)!;
      below += known.below!;
      levels = Math.max(levels, known.levels! + 1);
    }
    const part = recordOf(value);
    part.below = below + Object.keys(value).length;
    part.levels = levels;
  }
  return undefined;
}

/** Walks without recursion and stops at the first bound it crosses; spells out only the pointer it reports. */
function firstBoundCrossed(document: object): Violation[] | undefined {
  type Entry = { readonly value: unknown; readonly depth: number; readonly parent: Entry | null; readonly key: string };
  const stack: Entry[] = [{ value: document, depth: 1, parent: null, key: '' }];
  let nodes = 1;
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, depth } = item;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_PLAN_DEPTH) return [{ pointer: pointerOf(item), message: `nests deeper than ${MAX_PLAN_DEPTH} levels` }];
    const keys = Object.keys(value);
    nodes += keys.length;
    if (nodes > MAX_PLAN_NODES) return [{ pointer: '', message: `has more than ${MAX_PLAN_NODES} values` }];
    for (const key of keys) {
      const child: unknown = (value as Record<string, unknown>)[key];
      stack.push({ value: child, depth: depth + 1, parent: item, key });
    }
  }
  return undefined;
}

function pointerOf(entry: { readonly parent: unknown; readonly key: string }): string {
  let pointer = '';
  for (let at = entry as { readonly parent: unknown; readonly key: string } | null; at !== null && at.parent !== null; at = at.parent as typeof at) pointer = `/${escapePointer(at.key)}${pointer}`;
  return pointer;
}

function checkSize(document: object): Violation[] | undefined {
  let size: number;
  try {
    size = jsonText(document).length;
  } catch {
    return [{ pointer: '', message: 'is not a JSON value' }];
  }
  return size > MAX_PLAN_BYTES ? [{ pointer: '', message: `is larger than ${MAX_PLAN_BYTES} bytes` }] : undefined;
}

function nonEmpty(violations: Violation[]): Violation[] | undefined {
  return violations.length > 0 ? violations : undefined;
}

function toViolation(error: DefinedError): Violation {
  const at = error.instancePath;
  switch (error.keyword) {
    case 'required':
      return { pointer: `${at}/${escapePointer(error.params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { pointer: `${at}/${escapePointer(error.params.additionalProperty)}`, message: 'is not allowed' };
    case 'const':
      return { pointer: at, message: `must be equal to constant '${String(error.params.allowedValue)}'` };
    case 'pattern':
      return { pointer: at, message: patternProblem(at, error.data) ?? error.message ?? 'is invalid' };
    default:
      return { pointer: at, message: error.message ?? 'is invalid' };
  }
}

/** Says in words why an objectId or a date does not match its pattern. */
function patternProblem(pointer: string, value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (pointer.endsWith('/objectId')) return objectIdProblem(value);
  if (pointer === '/creationDate') {
    const result = readPlanDate(value);
    return 'problem' in result ? result.problem : null;
  }
  return null;
}

/** A repeated objectId is reported at its second occurrence, naming the first. */
function findDuplicateObjectIds(document: JsonObject, remember: boolean): Violation[] {
  // Remembering, the ids of parts seen before are known already (objectIdsIn); only a repeat is walked for its pointers.
  return (remember ? hasRepeats(objectIdsIn(document)) : hasRepeatedObjectId(document)) ? reportDuplicateObjectIds(document) : [];
}

const hasRepeats = (ids: readonly string[]): boolean => new Set(ids).size !== ids.length;

/** Whether an objectId occurs twice, walking the document without entering its parts anywhere. */
function hasRepeatedObjectId(document: object): boolean {
  const seen = new Set<string>();
  const stack: object[] = [document];
  for (let value = stack.pop(); value !== undefined; value = stack.pop()) {
    const id = Array.isArray(value) ? undefined : (value as Record<string, unknown>)['objectId'];
    if (typeof id === 'string') {
      if (seen.has(id)) return true;
      seen.add(id);
    }
    for (const member of Object.values(value) as unknown[]) if (typeof member === 'object' && member !== null) stack.push(member);
  }
  return false;
}

function reportDuplicateObjectIds(document: object): Violation[] {
  const seen = new Map<string, string>();
  const violations: Violation[] = [];
  const path: string[] = [];
  const here = () => (path.length === 0 ? '' : `/${path.map(escapePointer).join('/')}`);
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    const id = Array.isArray(value) ? undefined : record['objectId'];
    if (typeof id === 'string') {
      const first = seen.get(id);
      if (first === undefined) seen.set(id, `${here()}/objectId`);
      else violations.push({ pointer: `${here()}/objectId`, message: `duplicates the objectId at '${first}'` });
    }
    for (const key of Object.keys(value)) {
      const member = record[key];
      if (typeof member !== 'object' || member === null) continue;
      path.push(key);
      walk(member);
      path.pop();
    }
  };
  walk(document);
  return violations;
}
