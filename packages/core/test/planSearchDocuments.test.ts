import test from 'ava';
import { JOIN_FIELD, planSearchDocuments } from '../src/adapters/elasticsearch/planSearchDocuments.js';
import { aPlan } from './planMother.js';

test('planSearchDocuments › makes one routed document per object with its join relation', (t) => {
  const plan = aPlan({ id: 'p1' });
  const documents = planSearchDocuments(plan, 3);
  t.is(documents.length, 8);
  t.true(documents.every((d) => d.routing === 'p1' && d.source.planId === 'p1' && d.source.planVersion === 3));
  const byId = new Map(documents.map((d) => [d.id, d.source]));
  t.is(byId.get('p1')?.[JOIN_FIELD], 'plan');
  t.deepEqual(byId.get('p1:p1-pcs')?.[JOIN_FIELD], { name: 'planCostShares', parent: 'p1' });
  t.deepEqual(byId.get('p1:p1-lps2')?.[JOIN_FIELD], { name: 'linkedPlanServices', parent: 'p1' });
  t.deepEqual(byId.get('p1:p1-svc2')?.[JOIN_FIELD], { name: 'linkedService', parent: 'p1:p1-lps2' });
  t.deepEqual(byId.get('p1:p1-pscs2')?.[JOIN_FIELD], { name: 'planserviceCostShares', parent: 'p1:p1-lps2' });
  t.is(byId.get('p1:p1-pscs2')?.copay, 175);
  t.is(byId.get('p1:p1-svc2')?.name, 'well baby');
});

test('planSearchDocuments › keeps only scalar fields on each document', (t) => {
  const [root] = planSearchDocuments(aPlan({ id: 'p2' }), 1).filter((d) => d.id === 'p2');
  t.deepEqual(Object.keys(root?.source ?? {}).sort(), ['_org', 'creationDate', 'objectId', 'objectType', JOIN_FIELD, 'planId', 'planType', 'planVersion'].sort());
});
