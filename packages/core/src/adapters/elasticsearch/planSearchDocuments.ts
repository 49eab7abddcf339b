import { jsonEquals } from '../../jsonPatch/jsonEquals.js';
import { normalisePlanDate } from '../../parsePlanDate.js';
import { isJsonObject, type JsonObject, type JsonValue, type PlanDocument } from '../../planDocument.js';
import { planKey } from '../../planRef.js';

/** The join field and its relations: a plan's nested objects become its children and grandchildren. */
export const JOIN_FIELD = 'plan_join';
export const JOIN_RELATIONS = {
  plan: ['planCostShares', 'linkedPlanServices'],
  linkedPlanServices: ['linkedService', 'planserviceCostShares'],
} as const;

export interface SearchDocument {
  /** Unique in the index: the plan's key (org/objectId) for the plan itself, `<plan key>:<objectId>` for nested objects. */
  readonly id: string;
  /** Every document of a plan is routed by the plan's key, so the join works on one shard. */
  readonly routing: string;
  readonly source: JsonObject;
}

export function searchDocumentId(key: string, planId: string, objectId: string): string {
  return objectId === planId ? key : `${key}:${objectId}`;
}

/** An object's documents (its own and its descendants'), as last split, with where it stood then. */
interface Split {
  readonly key: string;
  readonly relation: string;
  readonly parentId: string | null;
  readonly documents: readonly SearchDocument[];
}

/**
 * Documents by the object they were split from. Plan states are never changed in place: a change
 * builds a new state that shares every untouched subtree with the old one (applyJsonPatch), so
 * an object met again in the same place has the same documents, and splitting the next state of
 * a plan costs what the change touched, not the plan's size. Entries go with their objects.
 */
const splits = new WeakMap<JsonObject, Split>();

/**
 * Whether two documents of one id have the same source: the same document, or equal JSON (member
 * order aside), compared without building their text (sources are plan fields, of bounded
 * depth): most pairs compared are an object on a change's path, split afresh, whose own fields
 * did not change.
 */
export function sameSearchSource(a: SearchDocument, b: SearchDocument): boolean {
  return a === b || jsonEquals(a.source, b.source);
}

/**
 * Splits a plan into one search document per object: the plan's scalar fields form the `plan`
 * document; every nested object (a value with an objectId) becomes a child of the object holding
 * it, its relation named after the property that holds it. A document's source depends on its
 * object only, never on the plan's version, so a change rewrites only the documents it changed
 * (see searchDocumentWrites); the version a search hit reports comes from the plan's head.
 * The result and its documents are shared with later splits: treat them as immutable.
 */
export function planSearchDocuments(plan: PlanDocument): SearchDocument[] {
  const planId = plan.objectId;
  const key = planKey({ org: plan._org, planId });
  const documents: SearchDocument[] = [];
  const visit = (object: JsonObject, relation: string, parentId: string | null): void => {
    const known = splits.get(object);
    if (known !== undefined && known.key === key && known.relation === relation && known.parentId === parentId) {
      for (const document of known.documents) documents.push(document);
      return;
    }
    const first = documents.length;
    const id = searchDocumentId(key, planId, String(object.objectId));
    const source: JsonObject = { planId, planKey: key };
    for (const [key, value] of Object.entries(object)) {
      const nested = nestedObjects(value);
      if (nested.length > 0) nested.forEach((child) => visit(child, key, id));
      else source[key] = key === 'creationDate' ? normalisePlanDate(value) : value;
    }
    source[JOIN_FIELD] = parentId === null ? relation : { name: relation, parent: parentId };
    documents.push({ id, routing: key, source });
    splits.set(object, { key, relation, parentId, documents: documents.slice(first) });
  };
  visit(plan, 'plan', null);
  return documents;
}

/** Each plan state's documents by id, built once: a change compares its state with the one before, which the change before built. */
const byIdOfState = new WeakMap<PlanDocument, ReadonlyMap<string, SearchDocument>>();
const NO_DOCUMENTS: ReadonlyMap<string, SearchDocument> = new Map();

/** A plan's search documents by id; should two objects share an objectId, the later wins, as it would in a bulk request. Shared: do not change it. */
export function searchDocumentsById(plan: PlanDocument | null): ReadonlyMap<string, SearchDocument> {
  if (plan === null) return NO_DOCUMENTS;
  let byId = byIdOfState.get(plan);
  if (byId === undefined) byIdOfState.set(plan, (byId = new Map(planSearchDocuments(plan).map((document) => [document.id, document]))));
  return byId;
}

function nestedObjects(value: JsonValue): JsonObject[] {
  if (isJsonObject(value) && typeof value.objectId === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => isJsonObject(item) && typeof item.objectId === 'string')) {
    return value as JsonObject[];
  }
  return [];
}
