/** One message of a partition queue, in the hands of a consumer until it is settled. */
export interface SourceMessage {
  readonly partition: number;
  /** The log position of the event it carries ('' when the message says none). */
  readonly position: string;
  readonly body: string;
  /** How many times it was delivered and returned before this delivery (0 the first time). */
  readonly returned: number;
  /**
   * True when it may have been in a consumer's hands before (returned, or left unsettled by a
   * consumer that went away): that consumer may have applied it, partly or whole, without settling.
   */
  readonly redelivered: boolean;
}

export type MessageHandler = (message: SourceMessage) => void;

export interface Subscription {
  /** Stops deliveries; messages in hand stay in hand until settled (or the consumer goes away). */
  cancel(): Promise<void>;
}

/**
 * Where a projection's messages come from: one queue per partition, delivered in order to one
 * active consumer, at most `prefetch` unsettled at once. Each delivered message is settled
 * exactly once: `ack` (done), `requeue` (returned, delivered again later; a message returned more
 * than `deliveryLimit` times is dead-lettered instead), or `deadLetter` (set aside for good).
 */
export interface MessageSource {
  readonly partitions: number;
  readonly deliveryLimit: number;
  consume(partition: number, handler: MessageHandler, options: { prefetch: number }): Promise<Subscription>;
  ack(message: SourceMessage): void;
  requeue(message: SourceMessage): void;
  deadLetter(message: SourceMessage): void;
}
