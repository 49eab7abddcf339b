import test from 'ava';
import { EVENT_SCHEMA_VERSION, evolvePlan, INITIAL_PLAN_STATE, type PlanEvent } from '../src/index.js';
import { createElasticClient, ElasticPlanIndex, ensurePlanIndex, PLAN_INDEX_BODY, withReplicas } from '../src/adapters/elasticsearch/index.js';
import { CLUSTER_ES_NODES, clusterScript, eventually, portOf } from './clusterScripts.js';
import { deleteAliasIndices, matchingPlans } from './elasticTestContext.js';
import { aPlan } from './planMother.js';
import { randomPrefix } from './redisTestContext.js';

const client = createElasticClient({ nodes: CLUSTER_ES_NODES, requestTimeoutMs: 10_000 });
const alias = randomPrefix('plans-cluster');
const planIndex = new ElasticPlanIndex(client, alias);

test.after.always(async () => {
  await deleteAliasIndices(client, alias);
  await client.close();
});

const create = async () => {
  const plan = aPlan();
  const event: PlanEvent = { planId: plan.objectId, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: plan }], actor: 't', org: 'example.com', at: new Date().toISOString(), requestId: 'r', schemaVersion: EVENT_SCHEMA_VERSION };
  await planIndex.apply({ event, before: INITIAL_PLAN_STATE, after: evolvePlan(INITIAL_PLAN_STATE, event) });
  return plan.objectId;
};

test('the plan index on the cluster › has one replica; with the node holding its primary SIGKILLed, writes and searches go on, and after the restart the cluster is green again', async (t) => {
  const index = await ensurePlanIndex(client, alias, withReplicas(PLAN_INDEX_BODY, 1));
  const settings = await client.indices.getSettings({ index });
  t.is(settings[index]?.settings?.index?.number_of_replicas, '1');
  await client.cluster.health({ index, wait_for_status: 'green', timeout: '60s' });
  const before = await create();

  const shards = (await client.cat.shards({ index, format: 'json' })) as unknown as { prirep: string; node: string; state: string }[];
  t.is(shards.length, 2, 'a primary and a replica');
  const primary = shards.find((shard) => shard.prirep === 'p')?.node ?? '';
  const victim = Number(/(\d+)$/.exec(primary)?.[1]);
  t.true(CLUSTER_ES_NODES.map(portOf).includes(victim), `the primary is on a cluster node (${primary})`);
  t.not(shards.find((shard) => shard.prirep === 'r')?.node, primary, 'the replica is on another node');

  await clusterScript('es-cluster', 'kill', victim);
  t.teardown(() => clusterScript('es-cluster', 'restart', victim).then(() => undefined, () => undefined));
  const killedAt = Date.now();
  const written = await eventually(() => create());
  const writtenMs = Date.now() - killedAt;
  const found = await eventually(async () => {
    const plans = await matchingPlans(client, alias, { terms: { planId: [before, written.value] } });
    if (plans.length !== 2) throw new Error(`found ${plans.join(', ')}`);
    return plans;
  });
  t.deepEqual(found.value, [before, written.value].sort(), 'a plan written before the kill and one written after are both found');
  t.log(`node ${victim} killed: a write succeeded after ${writtenMs} ms (${written.failures} failed attempts), searches after ${found.failures} failed attempts`);

  const restarted = Date.now();
  await clusterScript('es-cluster', 'restart', victim);
  const health = await client.cluster.health({ index, wait_for_status: 'green', timeout: '120s' });
  t.is(health.status, 'green');
  t.is(health.number_of_nodes, 3);
  t.log(`node ${victim} rejoined and the index was green ${Date.now() - restarted} ms after the restart began`);
  t.deepEqual(await matchingPlans(client, alias, { terms: { planId: [before, written.value] } }), [before, written.value].sort());
});
