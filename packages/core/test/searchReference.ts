import { normalisePlanDate } from '../src/parsePlanDate.js';
import { isJsonObject, type JsonObject, type JsonValue, type PlanDocument } from '../src/planDocument.js';
import type { SearchFilter, SearchRequest } from '../src/search/parseSearchRequest.js';
import { SEARCH_FIELDS, type FieldKind } from '../src/search/searchFields.js';

/**
 * What a search means, written from the README rather than from the query compiler: a plan
 * matches when every filter holds, filters under the same relation holding for the SAME nested
 * object (and one level down, the same grandchild), `exists=false` meaning no such object has the
 * field, and `q` every word in one service's name. Used as the oracle of search property tests.
 */
export function matchesSearch(plan: PlanDocument, request: Pick<SearchRequest, 'filters' | 'q'>): boolean {
  const root: Group = { filters: [], children: new Map() };
  for (const filter of request.filters) {
    const { relationPath } = SEARCH_FIELDS[filter.path];
    if (filter.op === 'exists' && filter.values[0] === false) {
      if (objectsAt(plan, relationPath).some((object) => holds(object, { ...filter, values: [true] }))) return false;
      continue;
    }
    let group = root;
    for (const relation of relationPath) {
      let child = group.children.get(relation);
      if (!child) group.children.set(relation, (child = { filters: [], children: new Map() }));
      group = child;
    }
    group.filters.push(filter);
  }
  if (!matchesGroup(plan, root)) return false;
  if (request.q === null) return true;
  const words = tokens(request.q);
  return objectsAt(plan, ['linkedPlanServices', 'linkedService']).some((service) => {
    const name = new Set(tokens(typeof service.name === 'string' ? service.name : ''));
    return words.every((word) => name.has(word));
  });
}

interface Group {
  readonly filters: SearchFilter[];
  readonly children: Map<string, Group>;
}

function matchesGroup(object: JsonObject, group: Group): boolean {
  return group.filters.every((filter) => holds(object, filter)) && [...group.children].every(([relation, child]) => nested(object[relation]).some((o) => matchesGroup(o, child)));
}

function objectsAt(plan: PlanDocument, relationPath: readonly string[]): JsonObject[] {
  return relationPath.reduce<JsonObject[]>((objects, relation) => objects.flatMap((object) => nested(object[relation])), [plan]);
}

function nested(value: JsonValue | undefined): JsonObject[] {
  if (isJsonObject(value) && typeof value.objectId === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => isJsonObject(item) && typeof item.objectId === 'string')) return value as JsonObject[];
  return [];
}

/** Whether the object's own field satisfies the filter (the field the filter's path ends in). */
function holds(object: JsonObject, { path, op, values }: SearchFilter): boolean {
  const { field, kind } = SEARCH_FIELDS[path];
  const raw = object[field];
  const value = kind === 'date' ? normalisePlanDate(raw ?? null) : raw;
  const present = value !== undefined && value !== null && !(isJsonObject(value) || (Array.isArray(value) && value.length === 0));
  if (op === 'exists') return present === values[0];
  if (!present) return false;
  const candidates = (Array.isArray(value) ? value : [value]).filter((v): v is string | number | boolean => typeof v !== 'object' || v === null);
  return candidates.some((candidate) => compare(candidate, op, values, kind));
}

function compare(candidate: string | number | boolean | null, op: SearchFilter['op'], values: SearchFilter['values'], kind: FieldKind): boolean {
  if (candidate === null) return false;
  const order = (a: string | number | boolean, b: string | number | boolean): number => (kind === 'number' ? Number(a) - Number(b) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
  switch (op) {
    case 'eq':
      return order(candidate, values[0]!) === 0;
    case 'in':
      return values.some((v) => order(candidate, v) === 0);
    case 'gt':
      return order(candidate, values[0]!) > 0;
    case 'gte':
      return order(candidate, values[0]!) >= 0;
    case 'lt':
      return order(candidate, values[0]!) < 0;
    case 'lte':
      return order(candidate, values[0]!) <= 0;
    default:
      return false;
  }
}

/** The standard analyzer, for the ASCII words the tests use: lower case, split on what is not a letter or digit. */
function tokens(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}
