import test from 'ava';
import { PROJECTION_NAMES } from '@planledger/projector/projections';
import { silentLogger } from '../src/index.js';
import { createAmqpConnector, createBrokerTopology, declareTopology, deleteTopology, keepConnected, nodeOf, type BrokerLink } from '../src/adapters/rabbitmq/index.js';
import { createRedisKeys, RedisEventLog } from '../src/adapters/redis/index.js';
import { createElasticClient } from '../src/adapters/elasticsearch/index.js';
import { verifyProjection } from '../../projector/src/verifyProjection.js';
import { apiClient } from '../../api/test/apiClient.js';
import { waitForProjections, writeLoad } from '../../api/test/stackLoad.js';
import { connectStackRedis, startStack } from '../../api/test/stackProcesses.js';
import { aPlan } from './planMother.js';
import { CLUSTER_AMQP_URLS, CLUSTER_ES_NODES, clusterScript, portOf } from './clusterScripts.js';
import { deleteAliasIndices } from './elasticTestContext.js';
import { randomPrefix } from './redisTestContext.js';

/** A URL where nothing listens (port 1 refuses at once). */
const DOWN = 'amqp://guest:guest@127.0.0.1:1';
const [first, second, third] = CLUSTER_AMQP_URLS as [string, string, string];

test('createAmqpConnector › with the first URL down it connects to the next, and each reconnect starts after the node it reached last', async (t) => {
  const connector = createAmqpConnector({ urls: [DOWN, first, second], heartbeatS: 5 });
  const a = await connector.connect();
  t.is(a.node, nodeOf(first));
  t.false(a.node.includes('guest'), 'logs never see the credentials');
  const b = await connector.connect();
  t.is(b.node, nodeOf(second), 'the next connect tries the node after the last one first');
  const c = await connector.connect();
  t.is(c.node, nodeOf(first), 'and goes round, past the node that does not answer');
  await Promise.all([a, b, c].map(({ connection }) => connection.close()));
  const error = await t.throwsAsync(createAmqpConnector({ urls: [DOWN] }).connect());
  t.regex(error?.message ?? '', /No RabbitMQ node answered \(amqp:\/\/127\.0\.0\.1:1: /);
});

/** The members of every quorum queue under a namespace, as the cluster reports them. */
async function queueMembers(namespace: string): Promise<{ name: string; members: string[] }[]> {
  const listed = JSON.parse(await clusterScript('rabbitmq-cluster', 'ctl', portOf(second), '-q', 'list_queues', 'name', 'members', '--formatter', 'json')) as { name: string; members: string[] }[];
  return listed.filter((queue) => queue.name.startsWith(`${namespace}.`));
}

test('declareTopology › with a quorum group size the partition and dead-letter queues get that many members', async (t) => {
  const { connection } = await createAmqpConnector({ urls: CLUSTER_AMQP_URLS }).connect();
  const topology = createBrokerTopology({ namespace: randomPrefix('planledger-quorum'), partitions: 2, deliveryLimit: 5, projections: ['search'], quorumGroupSize: 2 });
  const channel = await connection.createChannel();
  t.teardown(async () => {
    await deleteTopology(connection, topology);
    await connection.close();
  });
  await declareTopology(channel, topology);
  await t.notThrowsAsync(declareTopology(channel, topology), 'declaring again with the same size is harmless');
  const queues = await queueMembers(topology.exchange.replace(/\.events$/, ''));
  t.is(queues.length, 3);
  for (const queue of queues) t.is(queue.members.length, 2, `${queue.name}: ${queue.members.join(', ')}`);
});

test('keepConnected › when the node of its connection is SIGKILLed, the session is stopped and started again on another node', async (t) => {
  const victim = portOf(third);
  const links: string[] = [];
  let stopped = 0;
  const kept = keepConnected({
    connector: createAmqpConnector({ urls: [third, first, second] }),
    logger: silentLogger,
    start: async (link: BrokerLink) => {
      await link.channel();
      links.push(link.node);
      return { stop: async () => void (stopped += 1) };
    },
  });
  t.teardown(() => kept.stop());
  await kept.started;
  t.deepEqual(links, [nodeOf(third)]);
  await clusterScript('rabbitmq-cluster', 'kill', victim);
  let restarted = false;
  t.teardown(async () => {
    if (!restarted) await clusterScript('rabbitmq-cluster', 'restart', victim);
  });
  for (const deadline = Date.now() + 30_000; links.length < 2 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
  t.deepEqual(links, [nodeOf(third), nodeOf(first)], 'restarted on the next node');
  t.is(stopped, 1, 'the lost session was stopped first');
  await kept.stop();
  t.is(stopped, 2);
  await clusterScript('rabbitmq-cluster', 'restart', victim);
  restarted = true;
});

test('keepConnected › a node that hangs (SIGSTOP: its sockets stay open) is noticed by the heartbeat, and the session moves to another node', async (t) => {
  const victim = portOf(third);
  const links: string[] = [];
  const kept = keepConnected({
    connector: createAmqpConnector({ urls: [third, first, second], heartbeatS: 1 }),
    logger: silentLogger,
    start: async (link: BrokerLink) => {
      links.push(link.node);
      return { stop: async () => undefined };
    },
  });
  t.teardown(async () => {
    await clusterScript('rabbitmq-cluster', 'resume', victim).catch(() => undefined);
    await kept.stop();
  });
  await kept.started;
  await clusterScript('rabbitmq-cluster', 'pause', victim);
  const pausedAt = Date.now();
  for (const deadline = Date.now() + 30_000; links.length < 2 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
  t.deepEqual(links, [nodeOf(third), nodeOf(first)]);
  t.log(`the session moved ${Date.now() - pausedAt} ms after the node froze (heartbeat 1 s)`);
  await clusterScript('rabbitmq-cluster', 'resume', victim);
});

test('relay and projector on the RabbitMQ and Elasticsearch clusters › keep going when the node they are connected to is SIGKILLed, and every event is projected; the quorum queues have a member on every node', async (t) => {
  // The whole cluster topology but Redis: the broker and Elasticsearch clusters (indices with a replica).
  const stack = await startStack({ AMQP_URL: first, AMQP_URLS: CLUSTER_AMQP_URLS.join(','), AMQP_HEARTBEAT_S: '2', ES_NODES: CLUSTER_ES_NODES.join(','), ES_REPLICAS: '1' });
  const es = createElasticClient({ nodes: CLUSTER_ES_NODES });
  const victim = portOf(first);
  t.teardown(async () => {
    await clusterScript('rabbitmq-cluster', 'restart', victim).catch(() => undefined);
    await stack.stop();
    await deleteAliasIndices(es, stack.env.ES_ALIAS ?? 'missing');
    await es.close();
  });
  const index = `${stack.env.ES_ALIAS}-000001`;
  // The stack is up once the api answers; the projector may still be making its indices.
  for (const deadline = Date.now() + 30_000; !(await es.indices.exists({ index })) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
  t.is((await es.indices.getSettings({ index }))[index]?.settings?.index?.number_of_replicas, '1', 'the projector made the plan index with a replica');
  const topology = createBrokerTopology({ namespace: stack.env.AMQP_NAMESPACE ?? '', partitions: Number(stack.env.PARTITIONS), deliveryLimit: 5, projections: PROJECTION_NAMES });
  const ours = await queueMembers(stack.env.AMQP_NAMESPACE ?? '');
  t.is(ours.length, PROJECTION_NAMES.length * (topology.partitions + 1), 'every partition and dead-letter queue');
  for (const queue of ours) t.is(new Set(queue.members).size, 3, `${queue.name} has members ${queue.members.join(', ')}`);

  const writer = await apiClient(stack.baseUrl, stack.env.OIDC_ISSUER ?? '', 'dev-writer');
  const load = writeLoad(writer);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await clusterScript('rabbitmq-cluster', 'kill', victim);
  const killedAt = Date.now();
  // A plan written after the kill: the relay must publish it and the projector index it through the other nodes.
  const marker = aPlan();
  t.is((await writer.post('/v1/plans', marker)).status, 201);
  let resumedMs = -1;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const found = await writer.get<{ items: { planId: string }[] }>(`/v1/search?objectId=${marker.objectId}`);
    if (found.status === 200 && found.body.items.some((item) => item.planId === marker.objectId)) {
      resumedMs = Date.now() - killedAt;
      break;
    }
  }
  t.true(resumedMs >= 0, 'a plan written after the kill became searchable');
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const acknowledged = await load.stop();
  t.log(`${acknowledged} writes acknowledged; a plan written right after the kill of ${victim} was searchable ${resumedMs} ms later`);

  for (const name of ['relay', 'projector'] as const) {
    t.is(stack.processes[name].exitCode, null, `the ${name} did not exit`);
    t.regex(stack.output(name), /broker connection lost/, `the ${name} noticed the loss and reconnected`);
  }
  await waitForProjections(stack);
  // The stack's Redis: one server, or the cluster when the environment names one.
  const redis = connectStackRedis(stack.env);
  t.teardown(() => redis.disconnect());
  const keys = createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: Number(stack.env.PARTITIONS) });
  for (const projection of PROJECTION_NAMES) {
    const verdict = await verifyProjection({ projection, redis, keys, log: new RedisEventLog(redis, keys), es, alias: stack.env.ES_ALIAS ?? '' });
    t.true(verdict.plans > 10, `${verdict.plans} plans`);
    t.deepEqual(verdict.mismatches, [], `${projection} equals the fold of the log`);
  }
});
