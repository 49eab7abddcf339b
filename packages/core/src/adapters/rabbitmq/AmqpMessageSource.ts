import type { Channel, ConsumeMessage } from 'amqplib';
import type { MessageHandler, MessageSource, SourceMessage, Subscription } from '../../ports/MessageSource.js';
import type { BrokerTopology } from './brokerTopology.js';

/**
 * A projection's partition queues on RabbitMQ (quorum queues with a single active consumer and a
 * delivery limit, as `declareTopology` makes them). Requeue is `nack` with requeue, counted by the
 * broker in `x-delivery-count`; dead-letter is `nack` without requeue, to the dead-letter exchange.
 * The channel is this source's own: its prefetch applies to every partition queue consumed on it.
 * Once the channel has closed (its connection dropped), settling is a no-op: the broker returns
 * every message a closed channel held, and delivers it again to the next consumer.
 */
export class AmqpMessageSource implements MessageSource {
  readonly partitions: number;
  readonly deliveryLimit: number;
  private readonly raw = new WeakMap<SourceMessage, ConsumeMessage>();
  private closed = false;

  constructor(private readonly channel: Channel, private readonly topology: BrokerTopology, private readonly projection: string) {
    this.partitions = topology.partitions;
    this.deliveryLimit = topology.deliveryLimit;
    channel.on('close', () => (this.closed = true));
  }

  async consume(partition: number, handler: MessageHandler, { prefetch }: { prefetch: number }): Promise<Subscription> {
    await this.channel.prefetch(prefetch);
    const { consumerTag } = await this.channel.consume(this.topology.queue(this.projection, partition), (delivery) => {
      if (delivery === null) return;
      const headers = delivery.properties.headers ?? {};
      const returned = Number(headers['x-delivery-count'] ?? 0);
      const message: SourceMessage = { partition, position: String(headers.position ?? ''), body: delivery.content.toString('utf8'), returned, redelivered: delivery.fields.redelivered || returned > 0 };
      this.raw.set(message, delivery);
      handler(message);
    });
    return { cancel: async () => void (await this.channel.cancel(consumerTag).catch(() => undefined)) };
  }

  ack(message: SourceMessage): void {
    const delivery = this.delivery(message);
    if (!this.closed) this.channel.ack(delivery);
  }

  requeue(message: SourceMessage): void {
    const delivery = this.delivery(message);
    if (!this.closed) this.channel.nack(delivery, false, true);
  }

  deadLetter(message: SourceMessage): void {
    const delivery = this.delivery(message);
    if (!this.closed) this.channel.nack(delivery, false, false);
  }

  private delivery(message: SourceMessage): ConsumeMessage {
    const delivery = this.raw.get(message);
    if (!delivery) throw new Error('Message settled twice or not delivered by this source.');
    this.raw.delete(message);
    return delivery;
  }
}
