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

/**
 * Splits a plan into one search document per object: the plan's scalar fields form the `plan`
 * document; every nested object (a value with an objectId) becomes a child of the object holding
 * it, its relation named after the property that holds it. A document's source depends on its
 * object only, never on the plan's version, so a change rewrites only the documents it changed
 * (see searchDocumentWrites); the version a search hit reports comes from the plan's head.
 */
export function planSearchDocuments(plan: PlanDocument): SearchDocument[] {
  const planId = plan.objectId;
  const key = planKey({ org: plan._org, planId });
  const documents: SearchDocument[] = [];
  const visit = (object: JsonObject, relation: string, parentId: string | null): void => {
    const id = searchDocumentId(key, planId, String(object.objectId));
    const source: JsonObject = { planId, planKey: key };
    for (const [key, value] of Object.entries(object)) {
      const nested = nestedObjects(value);
      if (nested.length > 0) nested.forEach((child) => visit(child, key, id));
      else source[key] = key === 'creationDate' ? normalisePlanDate(value) : value;
    }
    source[JOIN_FIELD] = parentId === null ? relation : { name: relation, parent: parentId };
    documents.push({ id, routing: key, source });
  };
  visit(plan, 'plan', null);
  return documents;
}

function nestedObjects(value: JsonValue): JsonObject[] {
  if (isJsonObject(value) && typeof value.objectId === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => isJsonObject(item) && typeof item.objectId === 'string')) {
    return value as JsonObject[];
  }
  return [];
}
