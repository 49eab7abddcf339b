import { deepStrictEqual } from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { canonicalJson, type JsonObject, type PlanDocument } from '../src/index.js';
import { planSearchDocuments } from '../src/adapters/elasticsearch/planSearchDocuments.js';
import { searchDocumentWrites } from '../src/adapters/elasticsearch/searchDocumentWrites.js';
import { expectedSearchDocuments, searchDocumentMismatches } from '../src/adapters/elasticsearch/expectedSearchDocuments.js';
import { aPlan } from './planMother.js';

/**
 * A model of one Elasticsearch index under `version_type=external`: a write or a delete lands
 * only with a version above the document's (a delete's tombstone keeps its version, as it does
 * within `index.gc_deletes`).
 */
class IndexModel {
  readonly live = new Map<string, { version: number; source: JsonObject }>();
  private readonly tombstones = new Map<string, number>();

  apply(before: PlanDocument | null, after: PlanDocument | null, version: number, passed: readonly (PlanDocument | null)[] = []): number {
    const writes = searchDocumentWrites(before, after, passed);
    for (const document of writes.index) {
      if (this.current(document.id) < version) {
        this.live.set(document.id, { version, source: document.source });
        this.tombstones.delete(document.id);
      }
    }
    for (const document of writes.delete) {
      if (this.current(document.id) < version) {
        this.live.delete(document.id);
        this.tombstones.set(document.id, version);
      }
    }
    return writes.index.length + writes.delete.length;
  }

  /** What the index holds, as verify compares it. */
  documents(): Record<string, string> {
    return Object.fromEntries([...this.live].map(([id, { source }]) => [id, canonicalJson(source)]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
  }

  private current(id: string): number {
    return this.live.get(id)?.version ?? this.tombstones.get(id) ?? 0;
  }
}

const documentsOf = (plan: PlanDocument | null): Record<string, string> =>
  Object.fromEntries((plan === null ? [] : planSearchDocuments(plan)).map((d) => [d.id, canonicalJson(d.source)]).sort(([a], [b]) => (a! < b! ? -1 : 1)));

const ORG = 'example.com';
const PLAN = 'plan-p';
/** Small pools of ids and values, so that consecutive states share most documents, move some and change few. */
const serviceArbitrary = fc.record({
  lps: fc.constantFrom('lps1', 'lps2', 'lps3', 'lps4'),
  svc: fc.constantFrom('svc1', 'svc2', 'svc3'),
  pscs: fc.constantFrom('pscs1', 'pscs2', 'pscs3'),
  name: fc.constantFrom('well baby', 'acupuncture'),
  copay: fc.constantFrom(0, 20, 175),
});
const planArbitrary: fc.Arbitrary<PlanDocument | null> = fc.option(
  fc
    .record({
      planType: fc.constantFrom('inNetwork', 'outOfNetwork'),
      creationDate: fc.constantFrom('12-12-2017', '2017-12-12', '01-01-2020'),
      deductible: fc.constantFrom(2000, 3000),
      services: fc.uniqueArray(serviceArbitrary, { maxLength: 4, selector: (s) => s.lps }),
    })
    .map(({ planType, creationDate, deductible, services }): PlanDocument => ({
      _org: ORG,
      objectId: PLAN,
      objectType: 'plan',
      planType,
      creationDate,
      planCostShares: { _org: ORG, objectId: 'pcs', objectType: 'membercostshare', deductible, copay: 23 },
      // An objectId appears once per plan: later duplicates of a service or cost share are dropped.
      linkedPlanServices: services
        .filter((s, i, all) => all.findIndex((o) => o.svc === s.svc || o.pscs === s.pscs) === i)
        .map((s) => ({
          _org: ORG,
          objectId: s.lps,
          objectType: 'planservice',
          linkedService: { _org: ORG, objectId: s.svc, objectType: 'service', name: s.name },
          planserviceCostShares: { _org: ORG, objectId: s.pscs, objectType: 'membercostshare', deductible: 10, copay: s.copay },
        })),
    })),
  { freq: 4 },
);

test('searchDocumentWrites › applied to an index holding before’s documents, yields exactly after’s documents', (t) => {
  fc.assert(
    fc.property(planArbitrary, planArbitrary, fc.nat({ max: 5 }), (before, after, gap) => {
      const index = new IndexModel();
      index.apply(null, before, 1);
      index.apply(before, after, 2 + gap);
      deepStrictEqual(index.documents(), documentsOf(after));
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

test('searchDocumentWrites › writes only what changed: every indexed document is new or different, every deleted one is gone', (t) => {
  fc.assert(
    fc.property(planArbitrary, planArbitrary, (before, after) => {
      const old = documentsOf(before);
      const next = documentsOf(after);
      const writes = searchDocumentWrites(before, after);
      deepStrictEqual(writes.index.filter((d) => old[d.id] === canonicalJson(d.source)), []);
      deepStrictEqual(writes.delete.map((d) => d.id).sort(), Object.keys(old).filter((id) => !(id in next)).sort());
      deepStrictEqual(writes.index.length, Object.entries(next).filter(([id, source]) => old[id] !== source).length);
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

test('searchDocumentWrites › any coalescing of a history converges on its last state, with no version above it', (t) => {
  fc.assert(
    fc.property(fc.array(planArbitrary, { minLength: 1, maxLength: 10 }), fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), (states, cuts) => {
      const index = new IndexModel();
      let from = 0;
      const history: (PlanDocument | null)[] = [null, ...states];
      for (let version = 1; version < history.length; version += 1) {
        // Apply a coalesced run (from → version) at a cut or at the end.
        if (!cuts[version - 1] && version < history.length - 1) continue;
        index.apply(history[from] ?? null, history[version] ?? null, version);
        from = version;
      }
      deepStrictEqual(index.documents(), documentsOf(history.at(-1) ?? null));
      deepStrictEqual([...index.live.values()].filter((d) => d.version < 1 || d.version > states.length), []);
    }),
    { numRuns: 1000 },
  );
  t.pass();
});

test('searchDocumentWrites › replaying any single older version after the latest changes nothing', (t) => {
  fc.assert(
    fc.property(fc.array(planArbitrary, { minLength: 2, maxLength: 8 }), fc.nat(), (states, pick) => {
      const history: (PlanDocument | null)[] = [null, ...states];
      const index = new IndexModel();
      for (let version = 1; version < history.length; version += 1) index.apply(history[version - 1] ?? null, history[version] ?? null, version);
      const stale = 1 + (pick % (history.length - 1));
      index.apply(history[stale - 1] ?? null, history[stale] ?? null, stale);
      deepStrictEqual(index.documents(), documentsOf(history.at(-1) ?? null));
    }),
    { numRuns: 1000 },
  );
  t.pass();
});

/** A plan of the sample's shape with `services` planservices, each with its service and cost share. */
function aPlanWithServices(services: number): PlanDocument {
  const plan = aPlan({ id: 'big' });
  const [template] = plan.linkedPlanServices as JsonObject[];
  const linkedPlanServices = Array.from({ length: services }, (_, i) => {
    const copy = JSON.parse(JSON.stringify(template)) as Record<string, Record<string, unknown>>;
    copy.linkedService!.objectId = `svc-${i}`;
    copy.planserviceCostShares!.objectId = `pscs-${i}`;
    return { ...copy, objectId: `lps-${i}` };
  });
  return { ...plan, linkedPlanServices } as PlanDocument;
}

test('searchDocumentWrites › a one-field PATCH of a copay on a plan with 100 services writes 1 document', (t) => {
  const before = aPlanWithServices(100);
  const after = JSON.parse(JSON.stringify(before)) as { linkedPlanServices: { planserviceCostShares: { copay: number } }[] };
  after.linkedPlanServices[57]!.planserviceCostShares.copay = 99;
  const writes = searchDocumentWrites(before, after as unknown as PlanDocument);
  t.is(planSearchDocuments(before).length, 302);
  t.deepEqual(writes.index.map((d) => d.id), ['example.com/big:pscs-57']);
  t.deepEqual(writes.delete, []);
  const root = JSON.parse(JSON.stringify(before)) as PlanDocument;
  root.planType = 'outOfNetwork';
  t.deepEqual(searchDocumentWrites(before, root).index.map((d) => d.id), ['example.com/big'], 'a plan field rewrites the plan document only');
  t.is(searchDocumentWrites(null, before).index.length, 302, 'a create writes every document');
  t.is(searchDocumentWrites(before, null).delete.length, 302, 'a delete removes every document');
});

test('searchDocumentMismatches › accepts any version up to the head’s, and reports what differs', (t) => {
  const plan = aPlan({ id: 'v' });
  const head = { org: plan._org, planId: plan.objectId, version: 5, document: plan };
  const hits = expectedSearchDocuments(head).map((d, i) => ({ _id: d.id, _version: 1 + (i % 5), _source: d.source }));
  t.deepEqual(searchDocumentMismatches(head, hits), []);
  const [first, second, ...rest] = hits;
  const wrong = [{ ...first!, _version: 6 }, { ...second!, _source: { ...second!._source, copay: 1 } }, ...rest, { _id: 'x', _version: 1, _source: {} }];
  t.deepEqual(searchDocumentMismatches(head, wrong.slice(0, -2).concat(wrong.slice(-1))), [
    `example.com/v: document ${first!._id} at version 6, plan at 5`,
    `example.com/v: document ${second!._id} differs`,
    'example.com/v: extra document x',
    `example.com/v: missing document ${rest.at(-1)!._id}`,
  ]);
  t.deepEqual(searchDocumentMismatches({ ...head, document: null }, []), []);
});

test('searchDocumentWrites › with the states passed through, the writes are right whichever of them the index holds (property)', (t) => {
  let runs = 0;
  fc.assert(
    fc.property(fc.array(planArbitrary, { minLength: 3, maxLength: 6 }), fc.nat(), (states, pick) => {
      const [before, ...rest] = states as [PlanDocument | null, ...(PlanDocument | null)[]];
      const after = rest.at(-1) ?? null;
      const passed = rest.slice(0, -1);
      // The index holds one of the earlier states (written at its own version), not necessarily `before`.
      const held = [before, ...passed];
      const at = pick % held.length;
      const index = new IndexModel();
      index.apply(null, held[at] ?? null, at + 1);
      index.apply(before, after, held.length + 1, passed);
      deepStrictEqual(index.documents(), documentsOf(after));
      runs += 1;
    }),
    { numRuns: 300 },
  );
  t.is(runs, 300);
});

test('searchDocumentWrites › a plan created and deleted in one coalesced change removes what the passed-through version wrote', (t) => {
  const plan = aPlan({ id: 'p-gone' });
  const writes = searchDocumentWrites(null, null, [plan]);
  t.is(writes.index.length, 0);
  t.is(writes.delete.length, planSearchDocuments(plan).length);
  t.deepEqual(searchDocumentWrites(null, null), { index: [], delete: [] }, 'without passed states there is nothing to do');
});
