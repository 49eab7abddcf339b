export type DeadLetterStatus = 'waiting' | 'retried' | 'discarded';

/** A message a projection set aside for good, as recorded when it was dead-lettered. */
export interface DeadLetter {
  /** `<projection>.<partition>.<log position>`: the same message dead-lettered again keeps its id (one record, never two). */
  readonly id: string;
  readonly projection: string;
  readonly partition: number;
  /** The event's log position ('' when the message named none). */
  readonly position: string;
  /** From the event; null when the message was not a readable event. */
  readonly org: string | null;
  readonly planId: string | null;
  readonly version: number | null;
  readonly error: string;
  readonly deliveryCount: number;
  readonly deadLetteredAt: string;
  readonly status: DeadLetterStatus;
  readonly retriedAt?: string;
  readonly retriedBy?: string;
  readonly discardReason?: string;
  readonly discardedBy?: string;
  readonly discardedAt?: string;
  /** The message body as delivered (the event's JSON). */
  readonly body: string;
}

/** What a consumer knows when it dead-letters a message. */
export interface DeadLetterEntry {
  readonly projection: string;
  readonly partition: number;
  readonly position: string;
  readonly body: string;
  readonly error: string;
  readonly deliveryCount: number;
  readonly at: Date;
}

/** The record of `entry`: its id, and the event's identity when the body is one. */
export function deadLetterOf(entry: DeadLetterEntry): DeadLetter {
  let event: { org?: unknown; planId?: unknown; version?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(entry.body);
    if (parsed !== null && typeof parsed === 'object') event = parsed;
  } catch {
    // not an event: recorded with its body only
  }
  const position = entry.position || `body-${hashOf(entry.body)}`;
  return {
    id: `${entry.projection}.${entry.partition}.${position}`,
    projection: entry.projection,
    partition: entry.partition,
    position: entry.position,
    org: typeof event.org === 'string' ? event.org : null,
    planId: typeof event.planId === 'string' ? event.planId : null,
    version: typeof event.version === 'number' ? event.version : null,
    error: entry.error.slice(0, 2000),
    deliveryCount: entry.deliveryCount,
    deadLetteredAt: entry.at.toISOString(),
    status: 'waiting',
    body: entry.body,
  };
}

/** FNV-1a, as hex: names a message without a position by its body. */
function hashOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16);
}
