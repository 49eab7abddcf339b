import test from 'ava';
import { JOIN_FIELD, planSearchDocuments, sameSearchSource } from '../src/adapters/elasticsearch/planSearchDocuments.js';
import { applyJsonPatch } from '../src/applyJsonPatch.js';
import type { JsonObject, PlanDocument } from '../src/planDocument.js';
import { aPlan } from './planMother.js';

test('planSearchDocuments › makes one routed document per object with its join relation', (t) => {
  const plan = aPlan({ id: 'p1' });
  const documents = planSearchDocuments(plan);
  const key = 'example.com/p1';
  t.is(documents.length, 8);
  t.true(documents.every((d) => d.routing === key && d.source.planId === 'p1' && d.source.planKey === key));
  const byId = new Map(documents.map((d) => [d.id, d.source]));
  t.is(byId.get(key)?.[JOIN_FIELD], 'plan');
  t.deepEqual(byId.get(`${key}:p1-pcs`)?.[JOIN_FIELD], { name: 'planCostShares', parent: key });
  t.deepEqual(byId.get(`${key}:p1-lps2`)?.[JOIN_FIELD], { name: 'linkedPlanServices', parent: key });
  t.deepEqual(byId.get(`${key}:p1-svc2`)?.[JOIN_FIELD], { name: 'linkedService', parent: `${key}:p1-lps2` });
  t.deepEqual(byId.get(`${key}:p1-pscs2`)?.[JOIN_FIELD], { name: 'planserviceCostShares', parent: `${key}:p1-lps2` });
  t.is(byId.get(`${key}:p1-pscs2`)?.copay, 175);
  t.is(byId.get(`${key}:p1-svc2`)?.name, 'well baby');
});

test('planSearchDocuments › the same objectId in two orgs gives two plans with distinct ids and routing', (t) => {
  const ours = planSearchDocuments(aPlan({ id: 'p1' }));
  const theirs = planSearchDocuments(aPlan({ id: 'p1', org: 'other.example' }));
  const ourIds = new Set(ours.map((d) => d.id));
  t.true(theirs.every((d) => !ourIds.has(d.id) && d.routing === 'other.example/p1'));
});

test('planSearchDocuments › keeps only scalar fields on each document', (t) => {
  const [root] = planSearchDocuments(aPlan({ id: 'p2' })).filter((d) => d.id === 'example.com/p2');
  t.deepEqual(Object.keys(root?.source ?? {}).sort(), ['_org', 'creationDate', 'objectId', 'objectType', JOIN_FIELD, 'planId', 'planKey', 'planType'].sort());
});

test('planSearchDocuments › writes the date in its canonical form; a day the calendar lacks as null', (t) => {
  const rootOf = (creationDate: string) => planSearchDocuments({ ...aPlan({ id: 'p3' }), creationDate }).find((d) => d.id === 'example.com/p3')?.source;
  t.is(rootOf('12-12-2017')?.creationDate, '2017-12-12');
  t.is(rootOf('2017-12-12')?.creationDate, '2017-12-12');
  t.is(rootOf('02-30-2020')?.creationDate, null);
  t.is(rootOf('2021-02-29')?.creationDate, null, 'Elasticsearch would read it as 2021-03-01');
});

test('planSearchDocuments › the next state of a plan reuses the documents of the objects it shares, and splits the rest afresh', (t) => {
  const plan = aPlan({ id: 'p3' });
  const first = planSearchDocuments(plan);
  const next = applyJsonPatch(plan, [{ op: 'replace', path: '/linkedPlanServices/0/planserviceCostShares/copay', value: 7 }]) as PlanDocument;
  const second = planSearchDocuments(next);
  t.deepEqual(second.map((d) => d.id), first.map((d) => d.id));
  const changed = second.filter((d, i) => d !== first[i]).map((d) => d.id);
  // The changed object and the containers on its path (the service and the plan) are new objects.
  t.deepEqual(changed.sort(), ['example.com/p3', 'example.com/p3:p3-lps1', 'example.com/p3:p3-pscs1'].sort());
  t.is(second.find((d) => d.id === 'example.com/p3:p3-pscs1')?.source.copay, 7);
  t.true(sameSearchSource(first[first.findIndex((d) => d.id === 'example.com/p3')]!, second[second.findIndex((d) => d.id === 'example.com/p3')]!));
});

test('sameSearchSource › sources equal as JSON are the same whatever their member order; any differing value, member or type is not', (t) => {
  const doc = (source: JsonObject) => ({ id: 'k', routing: 'k', source });
  const source: JsonObject = { planId: 'p', copay: 7, tags: ['a', { b: 1 }], extra: { x: null } };
  t.true(sameSearchSource(doc(source), doc({ extra: { x: null }, tags: ['a', { b: 1 }], copay: 7, planId: 'p' })));
  t.false(sameSearchSource(doc(source), doc({ ...source, copay: 8 })));
  t.false(sameSearchSource(doc(source), doc({ ...source, copay: '7' })));
  t.false(sameSearchSource(doc(source), doc({ ...source, tags: [{ b: 1 }, 'a'] })));
  t.false(sameSearchSource(doc(source), doc({ ...source, more: 1 })));
  t.false(sameSearchSource(doc(source), doc({ ...source, extra: { x: 0 } })));
});

test('planSearchDocuments › an object moved under another parent, or into another plan, is split for where it is now', (t) => {
  const plan = aPlan({ id: 'p4' });
  planSearchDocuments(plan);
  const services = plan.linkedPlanServices as JsonObject[];
  const moved = applyJsonPatch(plan, [{ op: 'move', from: '/linkedPlanServices/1/linkedService', path: '/linkedPlanServices/0/linkedService' }]) as PlanDocument;
  const service = planSearchDocuments(moved).find((d) => d.id === `example.com/p4:${String((services[1]!.linkedService as JsonObject).objectId)}`);
  t.deepEqual(service?.source[JOIN_FIELD], { name: 'linkedService', parent: 'example.com/p4:p4-lps1' });
  const elsewhere = { ...plan, objectId: 'p5' } as PlanDocument;
  t.true(planSearchDocuments(elsewhere).every((d) => d.routing === 'example.com/p5' && d.source.planId === 'p5'));
});
