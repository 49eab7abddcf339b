import test from 'ava';
import { declareTopology } from '@planledger/core/rabbitmq';
import { consumeUntil, declareTestTopology } from './brokerTestContext.js';

test('broker topology › quorum partition queues dead-letter a message after the delivery limit', async (t) => {
  const broker = await declareTestTopology(2);
  try {
    const channel = await broker.connection.createChannel();
    await t.notThrowsAsync(declareTopology(channel, broker.topology), 'declaring twice is harmless');
    const queue = broker.topology.queue('search', 1);
    channel.publish(broker.topology.exchange, broker.topology.routingKey(1), Buffer.from('{"poison":true}'), { persistent: true });
    const deliveries = await consumeUntil(channel, queue, () => false, { timeoutMs: 1_500, settle: (message) => channel.nack(message, false, true) });
    // RabbitMQ dead-letters once a message has been returned more than x-delivery-limit times.
    t.is(deliveries.length, broker.topology.deliveryLimit + 1, 'delivered once plus the allowed redeliveries');
    const [dead] = await consumeUntil(channel, broker.topology.deadLetterQueue('search'), (got) => got.length >= 1);
    t.is(dead?.content.toString(), '{"poison":true}', 'the poison message reached the dead-letter queue');
    t.is((await channel.checkQueue(queue)).messageCount, 0);
  } finally {
    await broker.remove();
  }
});
