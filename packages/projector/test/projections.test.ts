import test from 'ava';
import { createBrokerTopology } from '@planledger/core/rabbitmq';
import { findProjection, PROJECTION_NAMES, PROJECTIONS } from '../src/projections/index.js';

test('projection registry › names each projection by its role and accepts the former redis name for the directory', (t) => {
  t.deepEqual(PROJECTION_NAMES, ['search', 'directory', 'asof']);
  t.is(findProjection('directory')?.formerName, null);
  t.is(findProjection('redis')?.projection.name, 'directory');
  t.is(findProjection('redis')?.formerName, 'redis');
  t.is(findProjection('nope'), null);
  t.is(new Set(PROJECTIONS.map((p) => p.name)).size, PROJECTIONS.length);
});

test('projection registry › the broker topology has one queue per registered projection and partition', (t) => {
  const topology = createBrokerTopology({ namespace: 'planledger', partitions: 2, deliveryLimit: 5, projections: PROJECTION_NAMES });
  t.deepEqual(topology.projections.flatMap((p) => [0, 1].map((i) => topology.queue(p, i))), ['planledger.search.p0', 'planledger.search.p1', 'planledger.directory.p0', 'planledger.directory.p1', 'planledger.asof.p0', 'planledger.asof.p1']);
});
