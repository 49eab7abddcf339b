import test from 'ava';
import fc from 'fast-check';
import { applyJsonPatch } from '../src/applyJsonPatch.js';
import { collectObjectIds, objectIdChanges } from '../src/collectObjectIds.js';
import { changedSearchDocuments, OPEN_UNTIL, planSearchDocuments, temporalVersionId, temporalWrites, type TemporalStep, type TemporalWrite } from '../src/adapters/elasticsearch/index.js';
import { searchDocumentsById } from '../src/adapters/elasticsearch/planSearchDocuments.js';
import type { JsonObject, PlanDocument } from '../src/planDocument.js';
import type { OpenVersion } from '../src/ports/TemporalState.js';
import type { JsonPatchOperation } from '../src/planEvent.js';
import { aPlan } from './planMother.js';

const withServices = (n: number): PlanDocument => {
  const plan = aPlan({ id: 'p' });
  const template = (plan.linkedPlanServices as JsonObject[])[0]!;
  plan.linkedPlanServices = Array.from({ length: n }, (_, i) => JSON.parse(JSON.stringify(template).replaceAll('p-', `p-${i}-`)) as JsonObject);
  return plan;
};
const fresh = (plan: PlanDocument): PlanDocument => JSON.parse(JSON.stringify(plan)) as PlanDocument;
const services = (plan: PlanDocument) => plan.linkedPlanServices as JsonObject[];

let serial = 0;

/** One change a client could make, as JSON Patch (applied with structural sharing, as the projector's fold does); new objects get new objectIds, as a valid plan's must be. */
const aChange = (plan: PlanDocument, pick: number, value: number): JsonPatchOperation[] => {
  const n = services(plan).length;
  const at = n === 0 ? 0 : pick % n;
  serial += 1;
  const fresh = {
    _org: 'example.com',
    objectId: `new-${serial}`,
    objectType: 'planservice',
    linkedService: { _org: 'example.com', objectId: `new-svc-${serial}`, objectType: 'service', name: `s${value}` },
    planserviceCostShares: { deductible: 1, copay: value, _org: 'example.com', objectId: `new-pscs-${serial}`, objectType: 'membercostshare' },
  };
  const changes: JsonPatchOperation[][] = [
    n > 0 ? [{ op: 'replace', path: `/linkedPlanServices/${at}/planserviceCostShares/copay`, value }] : [],
    n > 0 ? [{ op: 'replace', path: `/linkedPlanServices/${at}/linkedService/name`, value: `renamed ${value}` }] : [],
    n > 0 ? [{ op: 'remove', path: `/linkedPlanServices/${at}` }] : [],
    [{ op: 'add', path: `/linkedPlanServices/${n === 0 ? 0 : value % (n + 1)}`, value: fresh }],
    n > 1 ? [{ op: 'move', from: `/linkedPlanServices/${at}`, path: `/linkedPlanServices/${(at + 1) % n}` }] : [],
    [{ op: 'replace', path: '/planType', value: `type ${value}` }],
    [{ op: 'replace', path: '/planCostShares/deductible', value }],
    n > 0 ? [{ op: 'replace', path: `/linkedPlanServices/${at}/planserviceCostShares/objectId`, value: `pscs-${serial}` }] : [],
    n > 0 ? [{ op: 'replace', path: `/linkedPlanServices/${at}/planserviceCostShares`, value: { deductible: 1, copay: 2, _org: 'example.com', objectId: `pscs-r-${serial}`, objectType: 'membercostshare' } }] : [],
  ];
  return changes[pick % changes.length]!;
};

/** The documents that differ, from every document of both states (the way that cannot miss one). */
function wholeDifference(before: PlanDocument, after: PlanDocument): Map<string, [unknown, unknown]> {
  const was = searchDocumentsById(fresh(before));
  const now = searchDocumentsById(fresh(after));
  const differ = new Map<string, [unknown, unknown]>();
  for (const [id, document] of now) if (JSON.stringify(was.get(id)?.source ?? null) !== JSON.stringify(document.source)) differ.set(id, [was.get(id)?.source, document.source]);
  for (const [id, document] of was) if (!now.has(id)) differ.set(id, [document.source, undefined]);
  return differ;
}

test('changedSearchDocuments › over any run of changes, the documents found by walking where the states differ are those comparing every document finds', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 6 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 1e6 })), { minLength: 1, maxLength: 12 }), (size, picks) => {
      let plan = withServices(size);
      planSearchDocuments(plan);
      for (const [pick, value] of picks) {
        const next = applyJsonPatch(plan, aChange(plan, pick, value)) as PlanDocument;
        const changed = changedSearchDocuments(plan, next);
        if (changed === null) return false;
        const found = new Map(changed.map((c) => [(c.after ?? c.before)!.id, [c.before?.source, c.after?.source] as [unknown, unknown]]));
        const expected = wholeDifference(plan, next);
        // Sources compared as text: a document found changed whose source is in fact the same would be a needless write, and fails too.
        if (JSON.stringify([...found].sort()) !== JSON.stringify([...expected].sort())) return false;
        plan = next;
      }
      return true;
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('changedSearchDocuments › a one-field change of a plan with 100 services finds its one document, and states of two plans are not compared', (t) => {
  const plan = withServices(100);
  const next = applyJsonPatch(plan, [{ op: 'replace', path: '/linkedPlanServices/42/planserviceCostShares/copay', value: 9 }]) as PlanDocument;
  t.deepEqual(changedSearchDocuments(plan, next)?.map((c) => [c.before?.id, c.after?.source.copay]), [['example.com/p:p-42-pscs1', 9]]);
  t.is(changedSearchDocuments(plan, { ...next, objectId: 'other' }), null);
});

test('temporalWrites › each step writes what comparing every document of both states would, and what it says was opened and closed is the difference of the open versions', (t) => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 1e6 }), fc.boolean()), { minLength: 1, maxLength: 10 }), (picks) => {
      let state = { document: null as PlanDocument | null, open: new Map(temporalWrites({ document: null, open: new Map() }, []).open) };
      let plan = withServices(3);
      const steps: TemporalStep[] = [{ version: 1, at: 1000, document: plan }];
      picks.forEach(([pick, value, gone], i) => {
        plan = gone && i % 3 === 2 ? withServices(2) : (applyJsonPatch(plan, aChange(plan, pick, value)) as PlanDocument);
        steps.push({ version: i + 2, at: 1000 * (i + 2), document: gone && i % 3 === 1 ? null : plan });
      });
      for (const step of steps) {
        const result = temporalWrites(state, [step]);
        const expected = wholeTemporalStep(state, step);
        if (JSON.stringify(sortedById(result.writes)) !== JSON.stringify(sortedById(expected.writes)) || JSON.stringify([...result.open].sort()) !== JSON.stringify([...expected.open].sort())) return false;
        const opened = [...result.open].filter(([id, version]) => state.open.get(id)?.fromVersion !== version.fromVersion);
        const closed = [...state.open.keys()].filter((id) => !result.open.has(id));
        if (JSON.stringify([...result.opened].sort()) !== JSON.stringify(opened.sort()) || JSON.stringify([...result.closed].sort()) !== JSON.stringify(closed.sort())) return false;
        state = { document: step.document, open: result.open };
      }
      return true;
    }),
    { numRuns: 200 },
  );
  t.pass();
});

const sortedById = (writes: readonly TemporalWrite[]) => [...writes].sort((a, b) => (a.id < b.id ? -1 : 1));

/** One step from every document of both states, closing what changed or went and opening what changed or came (the temporal index's rule, spelled out). */
function wholeTemporalStep(state: { document: PlanDocument | null; open: ReadonlyMap<string, OpenVersion> }, step: TemporalStep): { writes: TemporalWrite[]; open: Map<string, OpenVersion> } {
  const was = searchDocumentsById(state.document === null ? null : fresh(state.document));
  const now = searchDocumentsById(step.document === null ? null : fresh(step.document));
  const open = new Map(state.open);
  const writes: TemporalWrite[] = [];
  const same = (a: { source: object } | undefined, b: { source: object } | undefined) => JSON.stringify(a?.source) === JSON.stringify(b?.source);
  const version = (document: { id: string; routing: string; source: JsonObject }, from: number, validFrom: number, validTo: number): TemporalWrite => {
    const join = document.source.plan_join as string | { name: string; parent: string };
    const relation = typeof join === 'string' ? join : join.name;
    const anchored = relation === 'plan' || relation === 'linkedPlanServices';
    return { id: temporalVersionId(document.id, from), routing: document.routing, source: { ...document.source, plan_join: anchored ? { name: `${relation}Version`, parent: document.id } : join, validFrom, validTo }, version: step.version };
  };
  for (const [id, old] of was) {
    const held = open.get(id);
    if (same(old, now.get(id)) || held === undefined) continue;
    writes.push(version(old, held.fromVersion, held.validFrom, step.at));
    open.delete(id);
  }
  for (const [id, document] of now) {
    if (same(was.get(id), document) && open.has(id)) continue;
    const join = document.source.plan_join as string | { name: string };
    const relation = typeof join === 'string' ? join : join.name;
    if (!was.has(id) && (relation === 'plan' || relation === 'linkedPlanServices')) writes.push({ id, routing: document.routing, source: { planId: document.source.planId ?? null, planKey: document.source.planKey ?? null, plan_join: join }, version: step.version });
    open.set(id, { fromVersion: step.version, validFrom: step.at });
    writes.push(version(document, step.version, step.at, OPEN_UNTIL));
  }
  return { writes, open };
}

test('objectIdChanges › over any run of changes (deletes and re-creates too), the ids added and removed are the difference of every id of both states', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 6 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 1e6 })), { minLength: 1, maxLength: 12 }), (size, picks) => {
      let plan: PlanDocument | null = withServices(size);
      collectObjectIds(plan);
      for (const [pick, value] of picks) {
        const next: PlanDocument | null = plan === null ? withServices(value % 3) : value % 7 === 0 ? null : (applyJsonPatch(plan, aChange(plan, pick, value)) as PlanDocument);
        const had = collectObjectIds(plan === null ? null : fresh(plan));
        const has = collectObjectIds(next === null ? null : fresh(next));
        const { added, removed } = objectIdChanges(plan, next);
        if (JSON.stringify(added.sort()) !== JSON.stringify([...has].filter((id) => !had.has(id)).sort())) return false;
        if (JSON.stringify(removed.sort()) !== JSON.stringify([...had].filter((id) => !has.has(id)).sort())) return false;
        plan = next;
      }
      return true;
    }),
    { numRuns: 300 },
  );
  t.pass();
});
