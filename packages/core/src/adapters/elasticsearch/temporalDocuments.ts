import { evolvePlan, type PlanState } from '../../evolvePlan.js';
import type { PlanEvent } from '../../planEvent.js';
import type { JsonObject, PlanDocument } from '../../planDocument.js';
import type { OpenVersion } from '../../ports/TemporalState.js';
import { changedSearchDocuments, JOIN_FIELD, JOIN_RELATIONS, sameSearchSource, searchDocumentsById, type SearchDocument } from './planSearchDocuments.js';

/**
 * The temporal index: every version of every nested object of every plan, each with the interval
 * of time it held, so a search can be evaluated on each plan as it was at any moment.
 *
 * Layout. An object whose relation has children (the plan, each linkedPlanService) gets an
 * *anchor*: a content-free document with the object's search-document id, so its children have
 * a parent whose id never changes. Each state of an object's own fields is a *version document*
 * `<id>@<v>` (v: the plan version at which the object took that state) carrying the same fields
 * as its search document plus `validFrom`/`validTo` (epoch ms, [from, to)); an open version ends
 * at OPEN_UNTIL. Versions of the plan's own fields are `planVersion` children of the plan anchor,
 * of a linkedPlanService's `linkedPlanServicesVersion` children of its anchor; leaf objects'
 * versions are direct children of their parent's anchor, under their own relation.
 *
 * A change writes only what it changed: for each object whose fields changed, the version it
 * closes (rewritten with its end) and the version it opens; for a removed object, its closed
 * version. The index grows with the objects changed, never with plan size × versions.
 */
export const TEMPORAL_JOIN_RELATIONS = {
  plan: ['planVersion', 'planCostShares', 'linkedPlanServices'],
  linkedPlanServices: ['linkedPlanServicesVersion', 'linkedService', 'planserviceCostShares'],
} as const;

/** The alias of the temporal index, beside the search index's `alias`. */
export const temporalAlias = (alias: string): string => `${alias}-asof`;

/** End of an open version: 9999-12-31T23:59:59.999Z. */
export const OPEN_UNTIL = 253_402_300_799_999;

/** Relations whose objects have children, and so anchors. */
const ANCHORED: ReadonlySet<string> = new Set(Object.keys(JOIN_RELATIONS));

/** The relation holding the versions of an anchored relation's own fields. */
export function versionRelation(relation: string): string {
  return ANCHORED.has(relation) ? `${relation}Version` : relation;
}


/** One event's result: the plan version it made, its time (epoch ms), and the document after it (null: deleted). */
export interface TemporalStep {
  readonly version: number;
  readonly at: number;
  readonly document: PlanDocument | null;
}

/** A document to index with `version_type=external` = `version`. */
export interface TemporalWrite {
  readonly id: string;
  readonly routing: string;
  readonly source: JsonObject;
  readonly version: number;
}

export interface TemporalWrites {
  /** At most one write per document id: its last state in these steps. */
  readonly writes: TemporalWrite[];
  /** The open versions after the steps, by object (search-document id). */
  readonly open: Map<string, OpenVersion>;
  /** What changed of `start.open`: the versions opened since (still open), and the objects whose version was closed and none opened. */
  readonly opened: Map<string, OpenVersion>;
  readonly closed: string[];
}

/**
 * Folds `events` (the versions after `start`, in order) into steps. Times never go backwards
 * within a plan; should a log hold one that does, it counts as happening no earlier than the one
 * before it (as the log's version-at-time lookup does). `lastAt`: the time of `start`.
 * `documents`, when the caller has folded the events already: the document after each of them,
 * used as it is (the same objects, whose search documents are then split once).
 */
export function temporalSteps(start: PlanState, events: readonly PlanEvent[], lastAt = 0, documents?: readonly (PlanDocument | null)[]): TemporalStep[] {
  let state = start;
  let at = lastAt;
  return events.map((event, i) => {
    const known = documents?.[i];
    state = known === undefined ? evolvePlan(state, event) : { version: event.version, document: known };
    at = Math.max(at, Date.parse(event.at));
    return { version: event.version, at, document: state.document };
  });
}

export const temporalVersionId = (id: string, fromVersion: number): string => `${id}@${fromVersion}`;

/**
 * The writes that record `steps` (consecutive versions of one plan, in order) in the temporal
 * index, starting from `start`: the plan's document before the first step and the versions the
 * index holds open for it. Pure; the same function builds a plan's whole temporal history from
 * nothing (a rebuild, a verification) and one live change.
 */
export function temporalWrites(start: { document: PlanDocument | null; open: ReadonlyMap<string, OpenVersion> }, steps: readonly TemporalStep[]): TemporalWrites {
  const open = new OpenVersions(start.open);
  const writes = new Map<string, TemporalWrite>();
  let before = start.document;
  for (const step of steps) {
    if (!changedStep(before, step, open, writes)) wholeStep(before, step, open, writes);
    before = step.document;
  }
  const opened = new Map<string, OpenVersion>();
  const closed: string[] = [];
  for (const id of open.touched) {
    const now = open.get(id);
    if (now === undefined) {
      if (start.open.has(id)) closed.push(id);
    } else if (start.open.get(id)?.fromVersion !== now.fromVersion) opened.set(id, now);
  }
  return { writes: [...writes.values()], open: open.all, opened, closed };
}

/** The open versions as the steps change them, and which objects' entries they changed. */
class OpenVersions {
  readonly all: Map<string, OpenVersion>;
  readonly touched = new Set<string>();
  constructor(start: ReadonlyMap<string, OpenVersion>) {
    this.all = new Map(start);
  }
  get size(): number {
    return this.all.size;
  }
  get(id: string): OpenVersion | undefined {
    return this.all.get(id);
  }
  has(id: string): boolean {
    return this.all.has(id);
  }
  set(id: string, version: OpenVersion): void {
    this.touched.add(id);
    this.all.set(id, version);
  }
  delete(id: string): void {
    this.touched.add(id);
    this.all.delete(id);
  }
}

/** How many search documents a plan state has, where known (each step works it out for the state it makes). */
const documentCounts = new WeakMap<PlanDocument, number>();

const documentCount = (document: PlanDocument): number => documentCounts.get(document) ?? searchDocumentsById(document).size;

/**
 * A step from one state of a plan to the next, written from the documents that differ alone
 * (changedSearchDocuments): its cost follows the change. Only while the open versions are one per
 * document of the state before, as the steps before left them; otherwise (false) the step is
 * written from every document (wholeStep), which also reopens any document left without one.
 */
function changedStep(before: PlanDocument | null, step: TemporalStep, open: OpenVersions, writes: Map<string, TemporalWrite>): boolean {
  if (before === null || step.document === null) return false;
  const count = documentCount(before);
  if (open.size !== count) return false;
  const changed = changedSearchDocuments(before, step.document);
  if (changed === null) return false;
  for (const { before: old } of changed) if (old !== undefined) closeVersion(old, step, open, writes);
  let added = 0;
  for (const { before: old, after: now } of changed) {
    if (old === undefined) added += 1;
    if (now === undefined) {
      added -= 1;
      continue;
    }
    openVersion(old, now, step, open, writes);
  }
  documentCounts.set(step.document, count + added);
  return true;
}

/** A step written from every document of both states. */
function wholeStep(before: PlanDocument | null, step: TemporalStep, open: OpenVersions, writes: Map<string, TemporalWrite>): void {
  const previous = searchDocumentsById(before);
  const next = searchDocumentsById(step.document);
  for (const [id, old] of previous) {
    const now = next.get(id);
    if (now === undefined || !sameSearchSource(now, old)) closeVersion(old, step, open, writes);
  }
  for (const [id, now] of next) {
    const old = previous.get(id);
    if (old !== undefined && sameSearchSource(old, now) && open.has(id)) continue;
    openVersion(old, now, step, open, writes);
  }
  if (step.document !== null) documentCounts.set(step.document, next.size);
}

/** Closes the open version of `old`'s object, if it has one, at the step. */
function closeVersion(old: SearchDocument, step: TemporalStep, open: OpenVersions, writes: Map<string, TemporalWrite>): void {
  const held = open.get(old.id);
  if (held === undefined) return;
  const write = versionWrite(old, held.fromVersion, held.validFrom, step.at, step.version);
  writes.set(write.id, write);
  open.delete(old.id);
}

/** Opens the version `now` starts at the step (with its anchor when the object is new: `old` absent). */
function openVersion(old: SearchDocument | undefined, now: SearchDocument, step: TemporalStep, open: OpenVersions, writes: Map<string, TemporalWrite>): void {
  if (old === undefined) {
    const anchor = anchorWrite(now, step.version);
    if (anchor) writes.set(anchor.id, anchor);
  }
  open.set(now.id, { fromVersion: step.version, validFrom: step.at });
  const write = versionWrite(now, step.version, step.at, OPEN_UNTIL, step.version);
  writes.set(write.id, write);
}

type Join = string | { name: string; parent: string };

function versionWrite(document: SearchDocument, fromVersion: number, validFrom: number, validTo: number, version: number): TemporalWrite {
  const join = document.source[JOIN_FIELD] as Join;
  const relation = typeof join === 'string' ? join : join.name;
  const versionJoin = ANCHORED.has(relation) ? { name: versionRelation(relation), parent: document.id } : join;
  return {
    id: temporalVersionId(document.id, fromVersion),
    routing: document.routing,
    source: { ...document.source, [JOIN_FIELD]: versionJoin, validFrom, validTo },
    version,
  };
}

function anchorWrite(document: SearchDocument, version: number): TemporalWrite | null {
  const join = document.source[JOIN_FIELD] as Join;
  const relation = typeof join === 'string' ? join : join.name;
  if (!ANCHORED.has(relation)) return null;
  const { planId, planKey } = document.source;
  return { id: document.id, routing: document.routing, source: { planId: planId ?? null, planKey: planKey ?? null, [JOIN_FIELD]: join }, version };
}
