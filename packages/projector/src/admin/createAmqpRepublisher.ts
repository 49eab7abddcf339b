import type { ChannelModel, ConfirmChannel } from 'amqplib';
import type { AmqpConnector, BrokerTopology } from '@planledger/core/rabbitmq';
import { isTransientError } from '@planledger/core';
import type { DeadLetterRepublisher } from './DeadLetterRepublisher.js';

/**
 * Republishes to the projection's own partition queue (through the default exchange, so the
 * other projections do not get the event again), with publisher confirms; the position header is
 * kept, so the consumer treats it like any delivery of that event (duplicates are skipped by the
 * version rule). Connects on first use, to the first node that answers; when the connection
 * drops, the next retry connects again (to another node), and a republish the drop interrupted is
 * made once more on the new connection (a second copy is a duplicate, which the consumer skips).
 */
export function createAmqpRepublisher({ connector, topology }: { connector: AmqpConnector; topology: BrokerTopology }): DeadLetterRepublisher {
  let connecting: Promise<{ connection: ChannelModel; channel: ConfirmChannel }> | null = null;
  const open = () => {
    connecting ??= (async () => {
      const { connection } = await connector.connect();
      connection.on('close', () => (connecting = null));
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined);
      channel.on('close', () => (connecting = null));
      return { connection, channel };
    })().catch((error: unknown) => {
      connecting = null;
      throw error;
    });
    return connecting;
  };
  return {
    async republish(letter) {
      for (let attempt = 1; ; attempt += 1) {
        const { channel } = await open();
        try {
          channel.sendToQueue(topology.queue(letter.projection, letter.partition), Buffer.from(letter.body), {
            persistent: true,
            contentType: 'application/json',
            messageId: `${letter.partition}/${letter.position}`,
            headers: { position: letter.position, partition: letter.partition },
          });
          await channel.waitForConfirms();
          return;
        } catch (error) {
          if (attempt >= 2 || !isTransientError(error)) throw error;
        }
      }
    },
    async close() {
      const open = connecting;
      connecting = null;
      if (open) await (await open.catch(() => null))?.connection.close().catch(() => undefined);
    },
  };
}
