import type { Channel } from 'amqplib';
import type { Logger } from '@planledger/core';
import type { BrokerTopology } from '@planledger/core/rabbitmq';
import { deadLetterOf } from './DeadLetter.js';
import type { DeadLetterStore } from './DeadLetterStore.js';

/**
 * Moves what the broker dead-lettered on its own (a message returned past its delivery limit,
 * e.g. by consumers that died holding it) from a projection's dead-letter queue into the store:
 * each message is recorded, then acknowledged, so it is in one place or the other and, recorded
 * twice after a crash, is still one record (its id is its log position).
 */
export async function drainDeadLetterQueue({ channel, topology, projection, store, logger, now = () => new Date() }: {
  channel: Channel;
  topology: BrokerTopology;
  projection: string;
  store: DeadLetterStore;
  logger: Logger;
  now?: () => Date;
}): Promise<{ cancel(): Promise<void> }> {
  await channel.prefetch(10);
  const { consumerTag } = await channel.consume(topology.deadLetterQueue(projection), (delivery) => {
    if (delivery === null) return;
    const headers = delivery.properties.headers ?? {};
    const deaths = (headers['x-death'] ?? []) as { count?: number; reason?: string; queue?: string }[];
    const death = deaths[0];
    const deliveryCount = Number(headers['x-delivery-count'] ?? death?.count ?? 0);
    const partition = Number(headers.partition ?? /\.p(\d+)$/.exec(death?.queue ?? '')?.[1] ?? -1);
    const letter = deadLetterOf({
      projection,
      partition,
      position: String(headers.position ?? ''),
      body: delivery.content.toString('utf8'),
      error: `Dead-lettered by the broker (${death?.reason ?? String(headers['x-first-death-reason'] ?? 'unknown reason')}) from ${death?.queue ?? 'its queue'}.`,
      deliveryCount,
      at: now(),
    });
    store.record(letter).then(
      () => channel.ack(delivery),
      (error: unknown) => {
        logger.error({ projection, id: letter.id, err: error }, 'could not record a dead letter from the broker: leaving it in the queue');
        channel.nack(delivery, false, true);
      },
    );
  });
  return { cancel: async () => void (await channel.cancel(consumerTag).catch(() => undefined)) };
}
