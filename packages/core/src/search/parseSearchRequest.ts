import { InvalidCursor, InvalidParameter, type Violation } from '../errors.js';
import { escapePointer, isForbiddenKey } from '../forbiddenKeys.js';
import { isCalendarTime } from '../isCalendarTime.js';
import { parsePlanDate, PLAN_DATE_FORMATS, readPlanDate } from '../parsePlanDate.js';
import { isSearchPath, isSortField, SEARCH_FIELDS, SORT_FIELDS, type FieldKind, type SearchPath, type SortField } from './searchFields.js';

export const FILTER_OPS = ['eq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];
export type FilterValue = string | number | boolean;

export interface SearchFilter {
  readonly path: SearchPath;
  readonly op: FilterOp;
  /** One value, except for `in`; a boolean for `exists`; numbers for number fields; canonical `YYYY-MM-DD` for date fields. */
  readonly values: FilterValue[];
}
export interface SortKey {
  readonly field: SortField;
  readonly order: 'asc' | 'desc';
}
export interface SearchRequest {
  readonly filters: SearchFilter[];
  readonly q: string | null;
  /** As asked, or `_score` descending when `q` is given and no sort is; `planId` ascending always follows. */
  readonly sort: SortKey[];
  readonly limit: number;
  /** The decoded `search_after` values: one per sort key plus the planId. */
  readonly cursor: unknown[] | null;
  readonly include: 'summary' | 'document';
  readonly consistentWith: string | null;
  /** Search the plans as they were at this moment (epoch ms), or now when null. */
  readonly asOf: number | null;
}

export const SEARCH_LIMITS = Object.freeze({ filters: 20, valueLength: 256, inValues: 50, qLength: 200, sortKeys: 3, limit: 100, defaultLimit: 20, tokenLength: 200, cursorLength: 2048 });
const RESERVED = new Set(['q', 'sort', 'limit', 'cursor', 'include', 'consistentWith', 'asOf']);
const MAX_PARAMS = SEARCH_LIMITS.filters + RESERVED.size;
const OPS_BY_KIND: Record<FieldKind, readonly FilterOp[]> = { keyword: FILTER_OPS, number: FILTER_OPS, date: FILTER_OPS, text: ['eq', 'in', 'exists'] };
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const KEY = /^([A-Za-z_.]+)(?:\[([A-Za-z]+)\])?$/;
/**
 * Where a plan without a searchable date sorts (last either way), as the day a cursor carries:
 * Elasticsearch's own "missing" values are beyond what its date format reads back.
 */
export const MISSING_DATE_SORT_VALUES = Object.freeze({ asc: '9999-12-31', desc: '0000-01-01' } as const);

type Report = (message: string) => undefined;
type Parsed = { readonly value: FilterValue } | { readonly error: string };

/** Opaque cursor for the next page: the last hit's sort values, base64url JSON. */
export function encodeSearchCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * Validates a search request: a parsed query string (values string | string[]) or a JSON body
 * with the same keys. Keys are `<path>` or `<path>[<op>]` (see SEARCH_FIELDS) plus `q`, `sort`,
 * `limit`, `cursor`, `include`, `consistentWith` and `asOf`. Throws InvalidParameter listing every problem
 * (InvalidCursor when the cursor is the only one).
 */
export function parseSearchRequest(params: Record<string, unknown>): SearchRequest {
  const keys = Object.keys(params);
  if (keys.length > MAX_PARAMS) throw new InvalidParameter([{ pointer: '', message: `At most ${MAX_PARAMS} parameters are allowed.` }]);
  const violations: Violation[] = [];
  const reporter = (key: string): Report => (message) => void violations.push({ pointer: `/${escapePointer(key)}`, message });
  const own = (key: string): unknown => (Object.hasOwn(params, key) ? params[key] : undefined);
  const filterKeys = keys.filter((key) => !RESERVED.has(key));
  const filters = filterKeys.flatMap((key) => parseFilter(key, own(key), reporter(key)) ?? []);
  if (filterKeys.length > SEARCH_LIMITS.filters) violations.push({ pointer: '', message: `At most ${SEARCH_LIMITS.filters} filters are allowed.` });
  const q = text(own('q'), SEARCH_LIMITS.qLength, reporter('q'))?.trim() || null;
  const sort = parseSort(own('sort'), q, reporter('sort'));
  const limit = parseLimit(own('limit'), reporter('limit'));
  const include = text(own('include'), 16, reporter('include')) ?? 'summary';
  if (include !== 'summary' && include !== 'document') reporter('include')("Must be 'summary' or 'document'.");
  const consistentWith = text(own('consistentWith'), SEARCH_LIMITS.tokenLength, reporter('consistentWith')) ?? null;
  const asOfText = text(own('asOf'), 64, reporter('asOf'));
  if (asOfText !== undefined && !isCalendarTime(asOfText)) reporter('asOf')('Must be an RFC 3339 time that exists, e.g. 2026-03-01T00:00:00Z.');
  const cursor = own('cursor') === undefined ? null : decodeCursor(own('cursor'), sort, reporter('cursor'));
  if (violations.length > 0 && violations.every((v) => v.pointer === '/cursor')) throw new InvalidCursor('The cursor is not one from a previous answer to this search (with the same sort).');
  if (violations.length > 0) throw new InvalidParameter(violations);
  return { filters, q, sort: sort ?? [], limit: limit ?? SEARCH_LIMITS.defaultLimit, cursor: cursor ?? null, include: include === 'document' ? 'document' : 'summary', consistentWith, asOf: asOfText === undefined ? null : Date.parse(asOfText) };
}

function parseFilter(key: string, raw: unknown, report: Report): SearchFilter | undefined {
  if (key.split(/[.[\]]/).some(isForbiddenKey)) return report('This key is not allowed.');
  const [, path = '', opName = 'eq'] = KEY.exec(key) ?? [];
  if (!isSearchPath(path)) return report(`Not a search field; known fields: ${Object.keys(SEARCH_FIELDS).join(', ')}.`);
  const op = FILTER_OPS.find((known) => known === opName);
  if (op === undefined) return report(`Unknown operator; use one of ${FILTER_OPS.join(', ')}.`);
  const { kind } = SEARCH_FIELDS[path];
  if (!OPS_BY_KIND[kind].includes(op)) return report(`'${op}' does not apply to a ${kind} field; use one of ${OPS_BY_KIND[kind].join(', ')}.`);
  const raws = op === 'in' ? listOf(raw) : Array.isArray(raw) ? undefined : [raw];
  if (raws === undefined) return report('Give one value: repeated keys and arrays are only allowed with [in].');
  if (raws.length === 0 || raws.length > SEARCH_LIMITS.inValues) return report(`Give 1 to ${SEARCH_LIMITS.inValues} values.`);
  const values: FilterValue[] = [];
  for (const value of raws) {
    const parsed = op === 'exists' ? flag(value) : scalar(value, kind);
    if ('error' in parsed) return report(parsed.error);
    values.push(parsed.value);
  }
  return { path, op, values };
}

/** A comma-separated string, or an array whose items are taken as they are. */
function listOf(raw: unknown): unknown[] {
  if (typeof raw === 'string') return raw.split(',');
  return Array.isArray(raw) ? raw : [raw];
}

function flag(value: unknown): Parsed {
  if (value === true || value === 'true') return { value: true };
  if (value === false || value === 'false') return { value: false };
  return { error: 'Must be true or false.' };
}

function scalar(value: unknown, kind: FieldKind): Parsed {
  if (typeof value === 'string' && value.length > SEARCH_LIMITS.valueLength) return { error: `Values are at most ${SEARCH_LIMITS.valueLength} characters.` };
  if (kind === 'number') {
    const number = typeof value === 'number' ? value : typeof value === 'string' && NUMBER.test(value) ? Number(value) : NaN;
    return Number.isFinite(number) ? { value: number } : { error: 'Must be a finite number.' };
  }
  if (typeof value !== 'string') return { error: kind === 'date' ? `Must be a date as ${PLAN_DATE_FORMATS.join(' or ')}.` : 'Must be a string.' };
  if (kind === 'date') {
    const date = readPlanDate(value);
    return 'date' in date ? { value: date.date } : { error: `${JSON.stringify(value)} ${date.problem}.` };
  }
  return value.length > 0 ? { value } : { error: 'Must not be empty.' };
}

function text(raw: unknown, maxLength: number, report: Report): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') return report('Must be one string.');
  if (raw.length > maxLength) return report(`Must be at most ${maxLength} characters.`);
  return raw;
}

function parseSort(raw: unknown, q: string | null, report: Report): SortKey[] | undefined {
  if (raw === undefined) return q === null ? [] : [{ field: '_score', order: 'desc' }];
  const names = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) && raw.every((item) => typeof item === 'string') ? (raw as string[]) : undefined;
  if (names === undefined) return report('Must be a comma-separated list of sort fields.');
  if (names.length > SEARCH_LIMITS.sortKeys) return report(`At most ${SEARCH_LIMITS.sortKeys} sort fields.`);
  const keys: SortKey[] = [];
  for (const name of names) {
    const field = name.startsWith('-') ? name.slice(1) : name;
    if (!isSortField(field) || name === '-_score') return report(`Sort by ${SORT_FIELDS.join(', ')} ('-' before a field sorts descending; _score is always most relevant first).`);
    if (keys.some((key) => key.field === field)) return report(`'${field}' appears twice.`);
    keys.push({ field, order: field === '_score' || name.startsWith('-') ? 'desc' : 'asc' });
  }
  return keys;
}

function parseLimit(raw: unknown, report: Report): number | undefined {
  if (raw === undefined) return undefined;
  const limit = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMITS.limit) return report(`Must be a whole number from 1 to ${SEARCH_LIMITS.limit}.`);
  return limit;
}

/** Decodes a cursor and checks it fits the sort: one value per sort key, then the plan key (the tie-breaker). */
function decodeCursor(raw: unknown, sort: SortKey[] | undefined, report: Report): unknown[] | undefined {
  const invalid = 'Not a cursor from a previous answer to this search.';
  if (typeof raw !== 'string' || raw.length > SEARCH_LIMITS.cursorLength || !/^[A-Za-z0-9_-]+$/.test(raw)) return report(invalid);
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return report(invalid);
  }
  if (!Array.isArray(values)) return report(invalid);
  if (sort === undefined) return values;
  const fields: string[] = [...sort.map((key) => key.field), 'planKey'];
  const fits = values.length === fields.length && fields.every((field, i) => fitsSortValue(field, values[i]));
  return fits ? values : report(invalid);
}

function fitsSortValue(field: string, value: unknown): boolean {
  if (field === '_score') return typeof value === 'number' && Number.isFinite(value);
  if (field === 'planKey') return typeof value === 'string' && value.length <= 3 * SEARCH_LIMITS.valueLength;
  if (isSearchPath(field) && SEARCH_FIELDS[field].kind === 'date') return typeof value === 'string' && (parsePlanDate(value) === value || value === MISSING_DATE_SORT_VALUES.desc);
  return value === null || (typeof value === 'string' && value.length <= SEARCH_LIMITS.valueLength);
}
