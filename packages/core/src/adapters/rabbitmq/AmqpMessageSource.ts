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
 *
 * Acks go out together: those made in one turn of the event loop are sent at its end, a run of
 * consecutive deliveries as one `ack` with `multiple` (the broker settles them in one step, a
 * quorum queue in one log entry); an ack out of order goes alone. A requeue or dead-letter goes at
 * once, and a multiple ack never covers it: it only covers deliveries that were all acked.
 */
export class AmqpMessageSource implements MessageSource {
  readonly partitions: number;
  readonly deliveryLimit: number;
  private readonly raw = new WeakMap<SourceMessage, ConsumeMessage>();
  /** Deliveries not yet settled with the broker, by delivery tag (ascending: tags grow per channel); true once acked here. */
  private readonly outstanding = new Map<number, { readonly delivery: ConsumeMessage; acked: boolean }>();
  private flushing: NodeJS.Immediate | null = null;
  private closed = false;

  constructor(private readonly channel: Channel, private readonly topology: BrokerTopology, private readonly projection: string) {
    this.partitions = topology.partitions;
    this.deliveryLimit = topology.deliveryLimit;
    channel.on('close', () => {
      this.closed = true;
      this.outstanding.clear();
    });
  }

  async consume(partition: number, handler: MessageHandler, { prefetch }: { prefetch: number }): Promise<Subscription> {
    await this.channel.prefetch(prefetch);
    const { consumerTag } = await this.channel.consume(this.topology.queue(this.projection, partition), (delivery) => {
      if (delivery === null) return;
      const headers = delivery.properties.headers ?? {};
      const returned = Number(headers['x-delivery-count'] ?? 0);
      const message: SourceMessage = { partition, position: String(headers.position ?? ''), body: delivery.content.toString('utf8'), returned, redelivered: delivery.fields.redelivered || returned > 0 };
      this.raw.set(message, delivery);
      this.outstanding.set(delivery.fields.deliveryTag, { delivery, acked: false });
      handler(message);
    });
    return { cancel: async () => void (await this.channel.cancel(consumerTag).catch(() => undefined)) };
  }

  ack(message: SourceMessage): void {
    const delivery = this.delivery(message);
    if (this.closed) return;
    const held = this.outstanding.get(delivery.fields.deliveryTag);
    if (held) held.acked = true;
    this.flushing ??= setImmediate(() => this.flushAcks());
  }

  requeue(message: SourceMessage): void {
    const delivery = this.settledNow(message);
    if (!this.closed) this.channel.nack(delivery, false, true);
  }

  deadLetter(message: SourceMessage): void {
    const delivery = this.settledNow(message);
    if (!this.closed) this.channel.nack(delivery, false, false);
  }

  /** Sends the acks made since the last flush: the acked run at the front as one multiple ack, the rest one by one. */
  private flushAcks(): void {
    this.flushing = null;
    if (this.closed) return;
    let front: ConsumeMessage | null = null;
    for (const [tag, held] of this.outstanding) {
      if (!held.acked) break;
      front = held.delivery;
      this.outstanding.delete(tag);
    }
    try {
      if (front) this.channel.ack(front, true);
      for (const [tag, held] of this.outstanding) {
        if (!held.acked) continue;
        this.channel.ack(held.delivery);
        this.outstanding.delete(tag);
      }
    } catch {
      // The channel is closing: the broker returns what it held, and delivers it again.
    }
  }

  /** A message settled with the broker at once (requeue, dead-letter): no later multiple ack may cover it. */
  private settledNow(message: SourceMessage): ConsumeMessage {
    const delivery = this.delivery(message);
    this.outstanding.delete(delivery.fields.deliveryTag);
    return delivery;
  }

  private delivery(message: SourceMessage): ConsumeMessage {
    const delivery = this.raw.get(message);
    if (!delivery) throw new Error('Message settled twice or not delivered by this source.');
    this.raw.delete(message);
    return delivery;
  }
}
