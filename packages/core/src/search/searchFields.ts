/**
 * How a field is matched: keywords exactly (ranges compare lexically), numbers numerically,
 * dates as calendar days (values in any accepted format, see parsePlanDate), text by its exact keyword.
 */
export type FieldKind = 'keyword' | 'number' | 'date' | 'text';

export interface SearchField {
  /** The join relations from the plan down to the document holding the field; [] is the plan itself. */
  readonly relationPath: readonly string[];
  /** The Elasticsearch field on that document. */
  readonly field: string;
  readonly kind: FieldKind;
}

const on = (relationPath: readonly string[], field: string, kind: FieldKind): SearchField => Object.freeze({ relationPath, field, kind });
const PLAN: readonly string[] = [];
const PLAN_COST_SHARES = ['planCostShares'] as const;
const PLAN_SERVICES = ['linkedPlanServices'] as const;
const SERVICE = ['linkedPlanServices', 'linkedService'] as const;
const SERVICE_COST_SHARES = ['linkedPlanServices', 'planserviceCostShares'] as const;

/**
 * The fields a client may filter on, by the path a client names them with. `_org` is not here:
 * tenancy is added by the caller, never taken from the request. For the text field
 * `linkedPlanServices.linkedService.name`, `eq` and `in` match the whole name exactly and
 * case-sensitively (its `name.keyword` subfield); word search over names is the `q` parameter.
 */
export const SEARCH_FIELDS = Object.freeze({
  objectId: on(PLAN, 'objectId', 'keyword'),
  planType: on(PLAN, 'planType', 'keyword'),
  creationDate: on(PLAN, 'creationDate', 'date'),
  'planCostShares.objectId': on(PLAN_COST_SHARES, 'objectId', 'keyword'),
  'planCostShares.deductible': on(PLAN_COST_SHARES, 'deductible', 'number'),
  'planCostShares.copay': on(PLAN_COST_SHARES, 'copay', 'number'),
  'linkedPlanServices.objectId': on(PLAN_SERVICES, 'objectId', 'keyword'),
  'linkedPlanServices.linkedService.objectId': on(SERVICE, 'objectId', 'keyword'),
  'linkedPlanServices.linkedService.name': on(SERVICE, 'name', 'text'),
  'linkedPlanServices.planserviceCostShares.objectId': on(SERVICE_COST_SHARES, 'objectId', 'keyword'),
  'linkedPlanServices.planserviceCostShares.deductible': on(SERVICE_COST_SHARES, 'deductible', 'number'),
  'linkedPlanServices.planserviceCostShares.copay': on(SERVICE_COST_SHARES, 'copay', 'number'),
});

export type SearchPath = keyof typeof SEARCH_FIELDS;

export function isSearchPath(path: string): path is SearchPath {
  return Object.hasOwn(SEARCH_FIELDS, path);
}

/**
 * What a client may sort by: the plan document's keyword and date fields (a `-` prefix sorts descending)
 * and `_score` (relevance to `q`, always most relevant first).
 */
export const SORT_FIELDS = Object.freeze(['planType', 'creationDate', 'objectId', '_score'] as const);

export type SortField = (typeof SORT_FIELDS)[number];

export function isSortField(name: string): name is SortField {
  return (SORT_FIELDS as readonly string[]).includes(name);
}
