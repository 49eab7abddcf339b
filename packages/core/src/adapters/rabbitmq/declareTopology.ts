import type { Channel, ChannelModel } from 'amqplib';
import type { BrokerTopology } from './brokerTopology.js';

/**
 * Declares the exchange, one quorum queue per projection and partition (single active consumer,
 * bounded deliveries), and a dead-letter exchange and queue per projection. Idempotent; run by an
 * explicit command, never as a side effect of a consumer starting.
 */
export async function declareTopology(channel: Channel, topology: BrokerTopology): Promise<void> {
  // Only when asked for: a queue declared before without it would refuse the redeclare (406).
  const quorum = { 'x-queue-type': 'quorum', ...(topology.quorumGroupSize ? { 'x-quorum-initial-group-size': topology.quorumGroupSize } : {}) };
  await channel.assertExchange(topology.exchange, 'topic', { durable: true });
  await channel.assertExchange(topology.deadLetterExchange, 'direct', { durable: true });
  for (const projection of topology.projections) {
    const deadLetterQueue = topology.deadLetterQueue(projection);
    await channel.assertQueue(deadLetterQueue, { durable: true, arguments: quorum });
    await channel.bindQueue(deadLetterQueue, topology.deadLetterExchange, projection);
    for (let partition = 0; partition < topology.partitions; partition += 1) {
      const queue = topology.queue(projection, partition);
      await channel.assertQueue(queue, {
        durable: true,
        arguments: {
          ...quorum,
          'x-single-active-consumer': true,
          'x-delivery-limit': topology.deliveryLimit,
          'x-dead-letter-exchange': topology.deadLetterExchange,
          'x-dead-letter-routing-key': projection,
        },
      });
      await channel.bindQueue(queue, topology.exchange, topology.routingKey(partition));
    }
  }
}

/**
 * Removes everything `declareTopology` made (tests use this to clean up their namespace). Queues
 * are deleted over several channels at once: a broker handles one channel's commands in order, and
 * deleting a quorum queue on a cluster takes a round of its members.
 */
export async function deleteTopology(connection: Pick<ChannelModel, 'createChannel'>, topology: BrokerTopology, channels = 8): Promise<void> {
  const queues = topology.projections.flatMap((projection) => [
    ...Array.from({ length: topology.partitions }, (_, partition) => topology.queue(projection, partition)),
    topology.deadLetterQueue(projection),
  ]);
  let next = 0;
  const worker = async (): Promise<void> => {
    const channel = await connection.createChannel();
    for (let queue = queues[next++]; queue !== undefined; queue = queues[next++]) await channel.deleteQueue(queue);
    await channel.close();
  };
  await Promise.all(Array.from({ length: Math.min(channels, queues.length) }, worker));
  const channel = await connection.createChannel();
  await channel.deleteExchange(topology.exchange);
  await channel.deleteExchange(topology.deadLetterExchange);
  await channel.close();
}
