import { Ajv2020, type DefinedError, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Violation } from './errors.js';
import { escapePointer, findForbiddenKeys } from './forbiddenKeys.js';
import { objectIdProblem } from './objectIdProblem.js';
import { readPlanDate } from './parsePlanDate.js';
import { jsonText } from './jsonText.js';
import { isJsonObject } from './planDocument.js';
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
let compiled: ValidateFunction | undefined;
const planValidator = (): ValidateFunction => (compiled ??= new Ajv2020({ strict: true, allErrors: true, verbose: true }).compile(PLAN_SCHEMA));

/** Every way `document` fails to be a valid plan, as JSON Pointers; empty when it is valid. */
export function validatePlan(document: unknown): Violation[] {
  if (!isJsonObject(document)) return [{ pointer: '', message: 'must be an object' }];
  const early = checkBounds(document) ?? checkSize(document) ?? nonEmpty(findForbiddenKeys(document));
  if (early) return early.slice(0, MAX_REPORTED_VIOLATIONS);
  const validateSchema = planValidator();
  const violations = validateSchema(document) ? [] : ((validateSchema.errors ?? []) as DefinedError[]).map(toViolation);
  const dates = violations.some((violation) => violation.pointer === '/creationDate') ? [] : findImpossibleDates(document);
  return [...violations, ...dates, ...findDuplicateObjectIds(document)].slice(0, MAX_REPORTED_VIOLATIONS);
}

/** The schema checks a date's shape; the calendar (no 02-30-2020) is checked here. */
function findImpossibleDates(document: Record<string, unknown>): Violation[] {
  const value = document['creationDate'];
  if (typeof value !== 'string') return [];
  const result = readPlanDate(value);
  return 'problem' in result ? [{ pointer: '/creationDate', message: result.problem }] : [];
}

/** Walks without recursion and stops at the first bound it crosses; spells out only the pointer it reports. */
function checkBounds(document: object): Violation[] | undefined {
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
function findDuplicateObjectIds(document: object): Violation[] {
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
