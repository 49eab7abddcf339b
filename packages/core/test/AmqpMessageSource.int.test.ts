import test from 'ava';
import amqp from 'amqplib';
import { AmqpMessageSource, createBrokerTopology, declareTopology, deleteTopology, type BrokerTopology } from '../src/adapters/rabbitmq/index.js';
import { messageSourceContract } from './messageSourceContract.js';
import { randomPrefix } from './redisTestContext.js';

const connection = await amqp.connect(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
const topologies: BrokerTopology[] = [];

test.after.always(async () => {
  for (const topology of topologies) await deleteTopology(connection, topology);
  await connection.close();
});

messageSourceContract(test, 'AmqpMessageSource', async () => {
  const topology = createBrokerTopology({ namespace: randomPrefix('message-source'), partitions: 2, deliveryLimit: 2, projections: ['contract'] });
  topologies.push(topology);
  const admin = await connection.createConfirmChannel();
  await declareTopology(admin, topology);
  return {
    source: new AmqpMessageSource(await connection.createChannel(), topology, 'contract'),
    async publish(partition, body, position) {
      admin.publish(topology.exchange, topology.routingKey(partition), Buffer.from(body), { persistent: true, headers: { position, partition } });
      await admin.waitForConfirms();
    },
    deadLettered: async () => (await admin.checkQueue(topology.deadLetterQueue('contract'))).messageCount,
  };
});
