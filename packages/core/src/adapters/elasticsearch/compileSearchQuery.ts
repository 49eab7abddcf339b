import { JOIN_FIELD, JOIN_RELATIONS } from './planSearchDocuments.js';
import { versionRelation } from './temporalDocuments.js';
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
export function compileSearchQuery(request: SearchRequest, { org, asOf = null }: { org: string | null; asOf?: number | null }): CompiledSearch {
  const layout = asOf === null ? CURRENT : temporalLayout(asOf);
  const root: Group = { clauses: [], children: new Map() };
  const mustNot: object[] = [];
  for (const filter of request.filters) {
    const field = SEARCH_FIELDS[filter.path];
    if (filter.op === 'exists' && filter.values[0] === false) {
      mustNot.push(layout.under(field.relationPath, [{ exists: { field: field.field } }]));
    } else {
      groupAt(root, field.relationPath).clauses.push(clauseOf(filter, field));
    }
  }
  const filter = [...layout.planClauses, ...(org === null ? [] : [{ term: { _org: org } }]), ...layout.groupClauses(root)];
  const bool = {
    filter,
    ...(request.q === null ? {} : { must: [layout.under(['linkedPlanServices', 'linkedService'], [{ match: { name: { query: request.q, operator: 'and' } } }], 'max')] }),
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

/**
 * Where the plan hits and the children of a relation are: the search index (one document per
 * object) or the temporal index as of a moment (see temporalDocuments: anchors, version
 * documents valid in [validFrom, validTo)).
 */
interface Layout {
  /** What selects the hit documents, one per plan. */
  readonly planClauses: object[];
  /** The plan-level filters and the has_child groups of its relations. */
  groupClauses(root: Group): object[];
  /** A query on the document down these relations (the plan's own for []), as a plan-level clause. */
  under(relationPath: readonly string[], clauses: object[], scoreMode?: 'max'): object;
}

const CURRENT: Layout = {
  planClauses: [{ term: { [JOIN_FIELD]: 'plan' } }],
  groupClauses(root) {
    const clausesOf = (group: Group): object[] => [...group.clauses, ...[...group.children].map(([type, child]) => ({ has_child: { type, query: allOf(clausesOf(child)) } }))];
    return clausesOf(root);
  },
  under: (relationPath, clauses, scoreMode) =>
    relationPath.reduceRight<object>((inner, type) => ({ has_child: { type, query: inner, ...(scoreMode ? { score_mode: scoreMode } : {}) } }), allOf(clauses)),
};

/**
 * As of `at` (epoch ms): hits are the `planVersion` documents valid then (one per plan alive
 * then); filters on the plan's children reach them through the plan's anchor (`has_parent`), and
 * each relation's own fields are matched on its version valid then, so same-object grouping
 * holds: one version document carries all of an object's fields at that moment.
 */
function temporalLayout(at: number): Layout {
  const valid = [{ range: { validFrom: { lte: at } } }, { range: { validTo: { gt: at } } }];
  const anchored = (relation: string) => Object.hasOwn(JOIN_RELATIONS, relation);
  /** The clauses of a group under `relation`, as a query on that relation's anchor (or leaf version). */
  const childQuery = (relation: string, group: Group): object => {
    const nested = [...group.children].map(([type, child]) => ({ has_child: { type, query: childQuery(type, child) } }));
    if (!anchored(relation)) return allOf([...valid, ...group.clauses]);
    const own = group.clauses.length === 0 && nested.length > 0 ? [] : [{ has_child: { type: versionRelation(relation), query: allOf([...valid, ...group.clauses]) } }];
    return allOf([...own, ...nested]);
  };
  const onAnchor = (clauses: object[], score = false): object[] => (clauses.length === 0 ? [] : [{ has_parent: { parent_type: 'plan', query: allOf(clauses), ...(score ? { score: true } : {}) } }]);
  return {
    planClauses: [{ term: { [JOIN_FIELD]: versionRelation('plan') } }, ...valid],
    groupClauses: (root) => [...root.clauses, ...onAnchor([...root.children].map(([type, child]) => ({ has_child: { type, query: childQuery(type, child) } })))],
    under(relationPath, clauses, scoreMode) {
      if (relationPath.length === 0) return allOf(clauses);
      const scored = scoreMode ? { score_mode: scoreMode } : {};
      // Full text scores: its match must not sit in a filter.
      const leaf = scoreMode ? { bool: { filter: valid, must: clauses } } : allOf([...valid, ...clauses]);
      const last = relationPath.at(-1)!;
      const inner = anchored(last) ? { has_child: { type: versionRelation(last), query: leaf, ...scored } } : leaf;
      const query = relationPath.reduceRight<object>((q, type) => ({ has_child: { type, query: q, ...scored } }), inner);
      return onAnchor([query], scoreMode !== undefined)[0]!;
    },
  };
}

function allOf(clauses: object[]): object {
  return clauses.length === 1 && clauses[0] !== undefined ? clauses[0] : { bool: { filter: clauses } };
}
