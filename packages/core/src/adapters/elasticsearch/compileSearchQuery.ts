import { JOIN_FIELD } from './planSearchDocuments.js';
import { MISSING_DATE_SORT_VALUES, type SearchFilter, type SearchRequest, type SortKey } from '../../search/parseSearchRequest.js';
import { isSearchPath, SEARCH_FIELDS, type SearchField } from '../../search/searchFields.js';

/** The plan fields a search answer carries; the caller loads whole documents when asked to. */
export const SEARCH_SOURCE_FIELDS = Object.freeze(['planId', 'planType', 'creationDate', '_org', 'objectId'] as const);

export interface CompiledSearch {
  query: object;
  sort: object[];
  size: number;
  search_after?: unknown[];
  track_total_hits: true;
  _source: string[];
}

/** The filters on one relation's documents, and the groups of its child relations. */
interface Group {
  readonly clauses: object[];
  readonly children: Map<string, Group>;
}

/**
 * Compiles a validated search request into an Elasticsearch search over the join index. It
 * selects plan documents only, of one org (or of every org when `org` is null), with every filter
 * ANDed. Filters under the same relation are grouped into one `has_child`, so they must all hold
 * for the SAME child object (and, one level down, the same grandchild): `copay[gte]=100` with
 * `linkedService.name=well baby` finds plans where one planservice has both. `exists=false` on a
 * child field means the plan has NO such child with that field: `must_not has_child(… exists)` at
 * the plan level, never grouped. `q` is a separate word search over service names (a plan matches
 * when one of its services' names holds every word) and the only part that scores.
 */
export function compileSearchQuery(request: SearchRequest, { org }: { org: string | null }): CompiledSearch {
  const root: Group = { clauses: [], children: new Map() };
  const mustNot: object[] = [];
  for (const filter of request.filters) {
    const field = SEARCH_FIELDS[filter.path];
    if (filter.op === 'exists' && filter.values[0] === false) {
      mustNot.push(underRelations(field.relationPath, { exists: { field: field.field } }));
    } else {
      groupAt(root, field.relationPath).clauses.push(clauseOf(filter, field));
    }
  }
  const filter = [{ term: { [JOIN_FIELD]: 'plan' } }, ...(org === null ? [] : [{ term: { _org: org } }]), ...clausesOf(root)];
  const bool = {
    filter,
    ...(request.q === null ? {} : { must: [fullText(request.q)] }),
    ...(mustNot.length === 0 ? {} : { must_not: mustNot }),
  };
  return {
    query: { bool },
    // The plan key (org and objectId) is unique per plan, so ties never hide a plan between pages.
    sort: [...request.sort.map(sortOf), { planKey: 'asc' }],
    size: request.limit,
    ...(request.cursor === null ? {} : { search_after: request.cursor }),
    track_total_hits: true,
    _source: [...SEARCH_SOURCE_FIELDS],
  };
}

/**
 * A date sorts as a date; its sort value (and so the cursor) is the day as `YYYY-MM-DD`, and a
 * plan without a searchable date sorts last at a day that format can read back.
 */
function sortOf({ field, order }: SortKey): object {
  if (!isSearchPath(field) || SEARCH_FIELDS[field].kind !== 'date') return { [field]: order };
  return { [field]: { order, format: 'strict_date', missing: Date.parse(`${MISSING_DATE_SORT_VALUES[order]}T00:00:00Z`) } };
}

function clauseOf({ op, values }: SearchFilter, { field, kind }: SearchField): object {
  const exact = kind === 'text' ? `${field}.keyword` : field;
  switch (op) {
    case 'eq':
      return { term: { [exact]: values[0] } };
    case 'in':
      return { terms: { [exact]: values } };
    case 'exists':
      return { exists: { field } };
    default:
      return { range: { [exact]: { [op]: values[0] } } };
  }
}

function groupAt(root: Group, relationPath: readonly string[]): Group {
  let group = root;
  for (const relation of relationPath) {
    let child = group.children.get(relation);
    if (child === undefined) group.children.set(relation, (child = { clauses: [], children: new Map() }));
    group = child;
  }
  return group;
}

function clausesOf(group: Group): object[] {
  const children = [...group.children].map(([type, child]) => ({ has_child: { type, query: allOf(clausesOf(child)) } }));
  return [...group.clauses, ...children];
}

function allOf(clauses: object[]): object {
  return clauses.length === 1 && clauses[0] !== undefined ? clauses[0] : { bool: { filter: clauses } };
}

/** A query on a document down these relations, wrapped in one has_child per level. */
function underRelations(relationPath: readonly string[], query: object, scoreMode?: 'max'): object {
  return relationPath.reduceRight<object>((inner, type) => ({ has_child: { type, query: inner, ...(scoreMode ? { score_mode: scoreMode } : {}) } }), query);
}

function fullText(q: string): object {
  return underRelations(['linkedPlanServices', 'linkedService'], { match: { name: { query: q, operator: 'and' } } }, 'max');
}
