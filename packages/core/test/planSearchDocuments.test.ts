import test from 'ava';
import { JOIN_FIELD, planSearchDocuments } from '../src/adapters/elasticsearch/planSearchDocuments.js';
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
