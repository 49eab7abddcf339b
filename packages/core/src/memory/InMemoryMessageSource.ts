import type { MessageHandler, MessageSource, SourceMessage, Subscription } from '../ports/MessageSource.js';

interface Queue {
  readonly ready: SourceMessage[];
  readonly unsettled: Set<SourceMessage>;
  consumer: { handler: MessageHandler; prefetch: number } | null;
}

/**
 * The in-memory twin of a projection's partition queues. Same contract as the RabbitMQ adapter:
 * in order, bounded unsettled messages, a returned message goes back to the head of its queue,
 * past the delivery limit it is dead-lettered. Deliveries happen on a later tick, as a broker's do.
 */
export class InMemoryMessageSource implements MessageSource {
  /** Messages dead-lettered, in the order they were. */
  readonly deadLetters: SourceMessage[] = [];
  private readonly queues: Queue[];

  constructor(readonly partitions: number, readonly deliveryLimit = 3) {
    this.queues = Array.from({ length: partitions }, () => ({ ready: [], unsettled: new Set(), consumer: null }));
  }

  /** Publishes a message to a partition's queue. */
  publish(partition: number, body: string, position = '', { redelivered = false }: { redelivered?: boolean } = {}): void {
    this.queue(partition).ready.push({ partition, position, body, returned: 0, redelivered });
    this.pump(partition);
  }

  /** Messages waiting or in hand, per partition. */
  depth(partition: number): number {
    const queue = this.queue(partition);
    return queue.ready.length + queue.unsettled.size;
  }

  async consume(partition: number, handler: MessageHandler, { prefetch }: { prefetch: number }): Promise<Subscription> {
    const queue = this.queue(partition);
    if (queue.consumer) throw new Error(`Partition ${partition} already has its single active consumer.`);
    queue.consumer = { handler, prefetch };
    this.pump(partition);
    return {
      cancel: async () => {
        queue.consumer = null;
      },
    };
  }

  ack(message: SourceMessage): void {
    this.settle(message);
  }

  requeue(message: SourceMessage): void {
    this.settle(message);
    const returned = { ...message, returned: message.returned + 1, redelivered: true };
    if (returned.returned > this.deliveryLimit) this.deadLetters.push(returned);
    else this.queue(message.partition).ready.unshift(returned);
    this.pump(message.partition);
  }

  deadLetter(message: SourceMessage): void {
    this.settle(message);
    this.deadLetters.push(message);
  }

  private settle(message: SourceMessage): void {
    const queue = this.queue(message.partition);
    if (!queue.unsettled.delete(message)) throw new Error('Message settled twice or never delivered.');
    this.pump(message.partition);
  }

  private pump(partition: number): void {
    setImmediate(() => {
      const queue = this.queue(partition);
      while (queue.consumer && queue.ready.length > 0 && queue.unsettled.size < queue.consumer.prefetch) {
        const message = queue.ready.shift()!;
        queue.unsettled.add(message);
        queue.consumer.handler(message);
      }
    });
  }

  private queue(partition: number): Queue {
    const queue = this.queues[partition];
    if (!queue) throw new RangeError(`No partition ${partition} (of ${this.partitions}).`);
    return queue;
  }
}
