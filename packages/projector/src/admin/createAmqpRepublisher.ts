import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { BrokerTopology } from '@planledger/core/rabbitmq';
import type { DeadLetterRepublisher } from './DeadLetterRepublisher.js';

/**
 * Republishes to the projection's own partition queue (through the default exchange, so the
 * other projections do not get the event again), with publisher confirms; the position header is
 * kept, so the consumer treats it like any delivery of that event (duplicates are skipped by the
 * version rule). Connects on first use.
 */
export function createAmqpRepublisher({ url, topology }: { url: string; topology: BrokerTopology }): DeadLetterRepublisher {
  let connecting: Promise<{ connection: ChannelModel; channel: ConfirmChannel }> | null = null;
  const open = () => {
    connecting ??= (async () => {
      const connection = await amqp.connect(url);
      connection.on('close', () => (connecting = null));
      connection.on('error', () => undefined);
      return { connection, channel: await connection.createConfirmChannel() };
    })().catch((error: unknown) => {
      connecting = null;
      throw error;
    });
    return connecting;
  };
  return {
    async republish(letter) {
      const { channel } = await open();
      channel.sendToQueue(topology.queue(letter.projection, letter.partition), Buffer.from(letter.body), {
        persistent: true,
        contentType: 'application/json',
        messageId: `${letter.partition}/${letter.position}`,
        headers: { position: letter.position, partition: letter.partition },
      });
      await channel.waitForConfirms();
    },
    async close() {
      const open = connecting;
      connecting = null;
      if (open) await (await open.catch(() => null))?.connection.close().catch(() => undefined);
    },
  };
}
