import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { createBrokerTopology, declareTopology, deleteTopology, type BrokerTopology } from '@planledger/core/rabbitmq';
import { randomPrefix } from '../../core/test/redisTestContext.js';
import { PROJECTION_NAMES } from '../src/projections/index.js';

export const TEST_AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A broker topology under a random namespace, declared for one test file and removed after it. */
export async function declareTestTopology(partitions = 4): Promise<{ connection: ChannelModel; topology: BrokerTopology; remove: () => Promise<void> }> {
  const connection = await amqp.connect(TEST_AMQP_URL);
  const topology = createBrokerTopology({ namespace: randomPrefix('planledger-test'), partitions, deliveryLimit: 3, projections: PROJECTION_NAMES });
  const channel = await connection.createChannel();
  await declareTopology(channel, topology);
  await channel.close();
  return {
    connection,
    topology,
    remove: async () => {
      await deleteTopology(connection, topology);
      await connection.close();
    },
  };
}

/**
 * Consumes a queue until `enough` says so or the timeout passes (quorum queues with a single
 * active consumer refuse basic.get). `settle` decides each message's fate; the default acks.
 */
export async function consumeUntil(
  channel: Channel,
  queue: string,
  enough: (received: ConsumeMessage[]) => boolean,
  { timeoutMs = 15_000, settle = (message: ConsumeMessage) => channel.ack(message) } = {},
): Promise<ConsumeMessage[]> {
  const received: ConsumeMessage[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const { consumerTag } = await channel.consume(queue, (message) => {
    if (!message) return;
    received.push(message);
    settle(message);
    if (enough(received)) done();
  });
  const timer = setTimeout(done, timeoutMs);
  await finished;
  clearTimeout(timer);
  await channel.cancel(consumerTag);
  return received;
}
