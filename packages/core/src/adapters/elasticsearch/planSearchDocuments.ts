import { jsonEquals } from '../../jsonPatch/jsonEquals.js';
import { normalisePlanDate } from '../../parsePlanDate.js';
import { isJsonObject, type JsonObject, type JsonValue, type PlanDocument } from '../../planDocument.js';
import { planKey } from '../../planRef.js';
import { unsharedItems } from '../../unsharedItems.js';

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
  const documents: SearchDocument[] = [];
  split(plan, 'plan', null, planKey({ org: plan._org, planId: plan.objectId }), plan.objectId, documents);
  return documents;
}

/** Appends the documents of `object` and its descendants (its own last) to `documents`, reusing its last split when it stood in the same place. */
function split(object: JsonObject, relation: string, parentId: string | null, key: string, planId: string, documents: SearchDocument[]): void {
  const known = splits.get(object);
  if (known !== undefined && samePlace(known, key, relation, parentId)) {
    for (const document of known.documents) documents.push(document);
    return;
  }
  const first = documents.length;
  const own = ownDocument(object, relation, parentId, key, planId);
  for (const property of Object.keys(object)) {
    const value = object[property]!;
    if (isNestedObject(value)) split(value, property, own.id, key, planId, documents);
    else if (isNestedList(value)) for (const child of value) split(child, property, own.id, key, planId, documents);
  }
  documents.push(own);
  splits.set(object, { key, relation, parentId, documents: documents.slice(first) });
}

/** Each object's own document (its fields that are not nested objects), as last made, with where it stood then. */
const owned = new WeakMap<JsonObject, { readonly key: string; readonly relation: string; readonly parentId: string | null; readonly document: SearchDocument }>();

function ownDocument(object: JsonObject, relation: string, parentId: string | null, key: string, planId: string): SearchDocument {
  const known = owned.get(object);
  if (known !== undefined && samePlace(known, key, relation, parentId)) return known.document;
  const source: JsonObject = { planId, planKey: key };
  for (const property of Object.keys(object)) {
    const value = object[property]!;
    if (!isNestedObject(value) && !isNestedList(value)) source[property] = property === 'creationDate' ? normalisePlanDate(value) : value;
  }
  source[JOIN_FIELD] = parentId === null ? relation : { name: relation, parent: parentId };
  const document = { id: searchDocumentId(key, planId, String(object.objectId)), routing: key, source };
  owned.set(object, { key, relation, parentId, document });
  return document;
}

/** Whether an object's remembered documents were made where it stands now: the same plan, relation and parent. */
const samePlace = (made: { readonly key: string; readonly relation: string; readonly parentId: string | null }, key: string, relation: string, parentId: string | null): boolean =>
  made.key === key && made.relation === relation && made.parentId === parentId;

/** The documents of `object` and its descendants, its own last. */
function documentsOf(object: JsonObject, relation: string, parentId: string | null, key: string, planId: string): readonly SearchDocument[] {
  const documents: SearchDocument[] = [];
  split(object, relation, parentId, key, planId, documents);
  return documents;
}

/** A document that differs between two states of a plan: its source before (absent: new) and after (absent: gone). */
export interface ChangedSearchDocument {
  readonly before?: SearchDocument;
  readonly after?: SearchDocument;
}

/**
 * The documents that differ between two states of one plan, found by walking only where the
 * states differ: an object both states share (the same object, in the same place) has the same
 * documents, so a change of one field of a plan with a hundred services compares the documents
 * on the changed object's path, not three hundred. Items of a list are paired by objectId. Null
 * when the states are not of one plan, or an objectId occurs twice in the parts that differ:
 * compare their documents whole then (searchDocumentsById), which settles repeats.
 */
export function changedSearchDocuments(before: PlanDocument, after: PlanDocument): ChangedSearchDocument[] | null {
  if (before.objectId !== after.objectId || before._org !== after._org) return null;
  const planId = after.objectId;
  const key = planKey({ org: after._org, planId });
  const was = new Map<string, SearchDocument>();
  const now = new Map<string, SearchDocument>();
  let repeated = false;
  const note = (into: Map<string, SearchDocument>, documents: readonly SearchDocument[]) => {
    for (const document of documents) {
      if (into.has(document.id)) repeated = true;
      into.set(document.id, document);
    }
  };
  const compare = (old: JsonObject, next: JsonObject, relation: string, parentId: string | null): void => {
    const own = ownDocument(next, relation, parentId, key, planId);
    const { id } = own;
    note(was, [ownDocument(old, relation, parentId, key, planId)]);
    note(now, [own]);
    for (const property of new Set([...Object.keys(old), ...Object.keys(next)])) {
      const oldValue = old[property];
      const nextValue = next[property];
      if (oldValue === nextValue) continue;
      const oldItems = oldValue === undefined ? [] : nestedObjects(oldValue);
      const nextItems = nextValue === undefined ? [] : nestedObjects(nextValue);
      const [gone, fresh] = unsharedItems(oldItems, nextItems);
      const oldById = new Map(gone.map((item) => [String(item.objectId), item]));
      for (const item of fresh) {
        const counterpart = oldById.get(String(item.objectId));
        if (counterpart === undefined) {
          note(now, documentsOf(item, property, id, key, planId));
          continue;
        }
        oldById.delete(String(item.objectId));
        compare(counterpart, item, property, id);
      }
      for (const item of oldById.values()) note(was, documentsOf(item, property, id, key, planId));
    }
  };
  compare(before, after, 'plan', null);
  if (repeated) return null;
  const changed: ChangedSearchDocument[] = [];
  for (const [id, document] of now) {
    const previous = was.get(id);
    if (previous === undefined || !sameSearchSource(previous, document)) changed.push(previous === undefined ? { after: document } : { before: previous, after: document });
  }
  for (const [id, document] of was) if (!now.has(id)) changed.push({ before: document });
  return changed;
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

/** The nested objects a property's value holds: itself (an object with an objectId), the items of a list of such, or none. */
function nestedObjects(value: JsonValue): readonly JsonObject[] {
  if (isNestedObject(value)) return [value];
  return isNestedList(value) ? value : [];
}

const isNestedObject = (value: JsonValue): value is JsonObject => isJsonObject(value) && typeof value.objectId === 'string';

/** A non-empty list of nested objects (checked without allocating: every plan split asks it of every field). */
function isNestedList(value: JsonValue): value is JsonObject[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (const item of value) if (!isNestedObject(item)) return false;
  return true;
}
