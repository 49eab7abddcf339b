import test from 'ava';
import { createAmqpConnector, createBrokerTopology, declareTopology, deleteTopology, nodeOf } from '@planledger/core/rabbitmq';
import { createAmqpRepublisher, deadLetterOf } from '../src/admin/index.js';
import { CLUSTER_AMQP_URLS, clusterScript, eventually, portOf } from '../../core/test/clusterScripts.js';
import { randomPrefix } from '../../core/test/redisTestContext.js';

const [first, second, third] = CLUSTER_AMQP_URLS as [string, string, string];

test('dead-letter retries › after the node the republisher was connected to is SIGKILLed, the next retry reaches the queue through another node', async (t) => {
  const topology = createBrokerTopology({ namespace: randomPrefix('planledger-republish'), partitions: 1, deliveryLimit: 5, projections: ['search'] });
  const { connection } = await createAmqpConnector({ urls: [first] }).connect();
  const channel = await connection.createChannel();
  await declareTopology(channel, topology);
  const republisher = createAmqpRepublisher({ connector: createAmqpConnector({ urls: [second, third, first], heartbeatS: 2 }), topology });
  const victim = portOf(second);
  let restarted = false;
  t.teardown(async () => {
    await republisher.close();
    if (!restarted) await clusterScript('rabbitmq-cluster', 'restart', victim);
    await deleteTopology(connection, topology);
    await connection.close();
  });
  const letter = (position: string) => deadLetterOf({ projection: 'search', partition: 0, position, body: `{"position":"${position}"}`, error: 'test', deliveryCount: 6, at: new Date() });

  await republisher.republish(letter('1-0'));
  await clusterScript('rabbitmq-cluster', 'kill', victim);
  await eventually(() => republisher.republish(letter('2-0')), 30_000);
  const queued = await eventually(async () => {
    const { messageCount } = await channel.checkQueue(topology.queue('search', 0));
    if (messageCount < 2) throw new Error(`${messageCount} queued`);
    return messageCount;
  });
  t.is(queued.value, 2, `both retries are in the queue (read through ${nodeOf(first)})`);
  await clusterScript('rabbitmq-cluster', 'restart', victim);
  restarted = true;
});
