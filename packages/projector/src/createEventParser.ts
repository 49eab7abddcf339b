import { WeighedCache, type PlanEvent, type SourceMessage } from '@planledger/core';

/** Reads the event a message carries. */
export type ParseEvent = (message: SourceMessage) => PlanEvent;

/**
 * JSON.parse of messages shared by the consumers of one process: every projection's queue gets
 * its own copy of each event, and the projections read them at about the same time. The first
 * copy parsed is kept (by partition and position, the same body checked), and the others take
 * that event as it is. Keeps the last `entries` events; a body that is not JSON throws, as
 * JSON.parse does.
 */
export function createEventParser({ entries = 1024 }: { entries?: number } = {}): ParseEvent {
  const parsed = new WeighedCache<{ readonly body: string; readonly event: PlanEvent }>(entries);
  return (message) => {
    const key = `${message.partition}:${message.position}`;
    const known = parsed.get(key);
    if (known !== undefined && known.body === message.body) return known.event;
    const event = JSON.parse(message.body) as PlanEvent;
    parsed.set(key, { body: message.body, event }, 1);
    return event;
  };
}
