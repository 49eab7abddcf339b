import test from 'ava';
import { INITIAL_PLAN_STATE, type JsonObject, type PlanDocument, type PlanEvent } from '../src/index.js';
import { OPEN_UNTIL, planSearchDocuments, temporalSteps, temporalWrites, type TemporalStep } from '../src/adapters/elasticsearch/index.js';
import { aPlan } from './planMother.js';

const withServices = (n: number): PlanDocument => {
  const plan = aPlan({ id: 'big' });
  const template = (plan.linkedPlanServices as JsonObject[])[0]!;
  plan.linkedPlanServices = Array.from({ length: n }, (_, i) => JSON.parse(JSON.stringify(template).replaceAll('big-', `big-${i}-`)) as JsonObject);
  return plan;
};
const nothing = { document: null, open: new Map() };

test('temporalWrites › a create opens one version per object and an anchor per object with children', (t) => {
  const plan = aPlan({ id: 'p' });
  const { writes, open } = temporalWrites(nothing, [{ version: 1, at: 1000, document: plan }]);
  const objects = planSearchDocuments(plan).length;
  t.is(open.size, objects);
  t.is(writes.filter((w) => w.id.includes('@')).length, objects);
  t.deepEqual(writes.filter((w) => !w.id.includes('@')).map((w) => w.id).sort(), ['example.com/p', 'example.com/p:p-lps1', 'example.com/p:p-lps2']);
  t.true(writes.filter((w) => w.id.includes('@')).every((w) => w.source.validFrom === 1000 && w.source.validTo === OPEN_UNTIL && w.version === 1));
});

test('temporalWrites › a one-field PATCH on a plan with 100 services writes 2 documents: the version it closes and the one it opens', (t) => {
  const before = withServices(100);
  const created = temporalWrites(nothing, [{ version: 1, at: 1000, document: before }]);
  const after = structuredClone(before);
  ((after.linkedPlanServices as JsonObject[])[42]!.planserviceCostShares as JsonObject).copay = 99;
  const { writes, open } = temporalWrites({ document: before, open: created.open }, [{ version: 2, at: 2000, document: after }]);
  t.is(planSearchDocuments(before).length, 302);
  t.deepEqual(writes.map((w) => [w.id, w.source.validFrom, w.source.validTo, w.version]), [
    ['example.com/big:big-42-pscs1@1', 1000, 2000, 2],
    ['example.com/big:big-42-pscs1@2', 2000, OPEN_UNTIL, 2],
  ]);
  t.is(open.get('example.com/big:big-42-pscs1')?.fromVersion, 2);
});

test('temporalWrites › a delete closes every open version; a re-create opens new ones and writes the anchors again', (t) => {
  const plan = aPlan({ id: 'p' });
  const steps: TemporalStep[] = [{ version: 1, at: 1000, document: plan }, { version: 2, at: 2000, document: null }, { version: 3, at: 3000, document: plan }];
  const { writes, open } = temporalWrites(nothing, steps);
  const versions = writes.filter((w) => w.id.includes('@'));
  t.true(versions.filter((w) => w.id.endsWith('@1')).every((w) => w.source.validTo === 2000 && w.version === 2));
  t.true(versions.filter((w) => w.id.endsWith('@3')).every((w) => w.source.validFrom === 3000 && w.source.validTo === OPEN_UNTIL));
  t.is(versions.length, 2 * open.size);
  t.true(writes.filter((w) => !w.id.includes('@')).every((w) => w.version === 3), 'anchors carry the version that last wrote them');
});

test('temporalWrites › steps given one by one and all at once write the same documents', (t) => {
  const plan = aPlan({ id: 'p' });
  const changed = { ...plan, planType: 'outOfNetwork' };
  const steps: TemporalStep[] = [{ version: 1, at: 1000, document: plan }, { version: 2, at: 1000, document: changed }, { version: 3, at: 5000, document: plan }];
  const together = temporalWrites(nothing, steps).writes;
  const apart = new Map<string, unknown>();
  let state = { document: null as PlanDocument | null, open: new Map() };
  for (const step of steps) {
    const result = temporalWrites(state, [step]);
    for (const write of result.writes) apart.set(write.id, write);
    state = { document: step.document, open: result.open };
  }
  t.deepEqual(new Map(together.map((w) => [w.id, w])), apart);
});

test('temporalSteps › the documents a caller folded already are used as they are, and give the steps folding the events would', (t) => {
  const plan = aPlan({ id: 'p' });
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  const event = (version: number, ms: number, type: PlanEvent['type'], patch: PlanEvent['patch']): PlanEvent =>
    ({ org: 'example.com', planId: 'p', version, type, patch, at: new Date(base + ms).toISOString(), actor: { clientId: 'c' }, requestId: `r${version}`, schemaVersion: 2 });
  const events = [
    event(1, 1000, 'created', [{ op: 'add', path: '', value: plan }]),
    event(2, 500, 'patched', [{ op: 'replace', path: '/planType', value: 'outOfNetwork' }]),
    event(3, 3000, 'patched', [{ op: 'replace', path: '/planCostShares/copay', value: 5 }]),
  ];
  const folded = temporalSteps(INITIAL_PLAN_STATE, events);
  // A time that goes backwards counts as the one before it.
  t.deepEqual(folded.map((s) => [s.version, s.at - base]), [[1, 1000], [2, 1000], [3, 3000]]);
  t.is((folded[2]!.document!.planCostShares as JsonObject).copay, 5);
  const documents = folded.map((s) => s.document);
  const given = temporalSteps(INITIAL_PLAN_STATE, events, 0, documents);
  t.deepEqual(given, folded);
  t.true(given.every((step, i) => step.document === documents[i]));
  // Fewer documents than events: the rest are folded on from the last one given.
  const partly = temporalSteps(INITIAL_PLAN_STATE, events, 0, documents.slice(0, 2));
  t.deepEqual(partly, folded);
  t.true(partly[1]!.document === documents[1]);
});
