import { isTransientError, planKey, refOf, type Logger, type MessageSource, type PlanEvent, type SourceMessage } from '@planledger/core';
import type { HandleOutcome, ProjectionRunner } from './createProjectionRunner.js';
import type { ParseEvent } from './createEventParser.js';
import { createWatermark } from './createWatermark.js';

export interface ConsumeProjectionOptions {
  readonly source: MessageSource;
  readonly projection: string;
  readonly runner: ProjectionRunner;
  /** Records a partition's checkpoint (every event up to the position has settled). */
  readonly setCheckpoint: (partition: number, position: string) => Promise<void>;
  readonly logger: Logger;
  /** Messages in hand per partition queue. */
  readonly prefetch?: number;
  /** Longest wait between retries while a dependency (Elasticsearch, Redis) is down. */
  readonly maxBackoffMs?: number;
  /** Told how each message went (for metrics). */
  readonly onHandled?: (outcome: HandleOutcome | 'failed') => void;
  /** Whether a failure is a dependency being down (wait and retry) rather than a bad message. */
  readonly isTransient?: (error: unknown) => boolean;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Records a message being set aside for good (the dead-letter store admins list and retry).
   * When given, such a message is recorded first and then acknowledged, so it is never in two
   * places; if recording fails it is returned to the broker, which delivers it again (or, past
   * its delivery limit, moves it to the dead-letter queue, from which it is recorded later).
   * Without it, the message goes to the broker's dead-letter queue.
   */
  readonly recordDeadLetter?: (letter: { message: SourceMessage; error: string }) => Promise<void>;
  /** The partitions consumed from the start (default: all); `start` and `handOver` change them later. */
  readonly partitions?: readonly number[];
  /** A partition's saved checkpoint: the checkpoint written never goes back before it. */
  readonly checkpoint?: (partition: number) => Promise<string | null>;
  /** Reads a message's event (default JSON.parse of its body; the projector shares one parser among its projections, createEventParser). */
  readonly parse?: ParseEvent;
}

export interface ProjectionConsumer {
  /** Starts consuming a partition's queue (nothing when it already does). */
  start(partition: number): Promise<void>;
  /**
   * Hands a partition over: takes no new messages from its queue, finishes the ones in hand (or,
   * while a dependency is down, returns them to the broker), writes its checkpoint and then
   * resolves. Another consumer may then take the queue.
   */
  handOver(partition: number): Promise<void>;
  /** The partitions consumed now, ascending. */
  partitions(): number[];
  /** Stops taking messages and waits for the ones in hand. */
  stop(): Promise<void>;
}

/** One partition queue being consumed. */
interface Lane {
  handingOver: boolean;
  readonly inFlight: Set<Promise<void>>;
  /** Resolves once the lane is subscribed to its queue. */
  subscribed: Promise<{ cancel(): Promise<void> } | null>;
  checkpointing: Promise<void>;
  /** The newest checkpoint not yet being written: the write queued behind `checkpointing` takes it. */
  nextMark: string | null;
}

interface Held {
  readonly message: SourceMessage;
  readonly event: PlanEvent;
}

type Fate = 'done' | 'requeued' | 'stopped';

/**
 * Consumes one projection's partition queues. Within a queue, each plan's events are applied in
 * order while different plans proceed at once (so their writes share bulk requests). Events of one
 * plan that pile up while its previous write is in flight are coalesced: folded, and written once
 * as the state after the newest. The partition's checkpoint follows the watermark of settled
 * events. A dependency that is down is waited for (messages stay in hand, nothing is
 * dead-lettered); any other failure returns the message, and past the delivery limit dead-letters it.
 */
export async function consumeProjection(options: ConsumeProjectionOptions): Promise<ProjectionConsumer> {
  const { source, projection, runner, setCheckpoint, logger, prefetch = 50, maxBackoffMs = 5_000, onHandled, recordDeadLetter } = options;
  const isTransient = options.isTransient ?? isTransientError;
  const parse = options.parse ?? ((message: SourceMessage) => JSON.parse(message.body) as PlanEvent);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let stopping = false;
  const lanes = new Map<number, Lane>();

  /** Sets a message aside for good: recorded then acknowledged, or to the broker's dead-letter queue. */
  const deadLetter = async (message: SourceMessage, error: unknown): Promise<'done' | 'requeued'> => {
    if (!recordDeadLetter) {
      source.deadLetter(message);
      return 'done';
    }
    try {
      await recordDeadLetter({ message, error: error instanceof Error ? error.message : String(error) });
      source.ack(message);
      return 'done';
    } catch (recordError) {
      logger.error({ projection, position: message.position, err: recordError }, 'could not record the dead letter: returning the message');
      source.requeue(message);
      return 'requeued';
    }
  };

  const applyOneByOne = async (lane: Lane, batch: Held[]): Promise<Fate[]> => {
    const fates: Fate[] = [];
    for (const held of batch) fates.push(...(await applyBatch(lane, [held])));
    return fates;
  };

  /** Settles the events of one plan: retried while a dependency is down, split up when one of them fails. */
  const applyBatch = async (lane: Lane, batch: Held[]): Promise<Fate[]> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const outcomes = await runner.handleChain(batch.map((held) => held.event));
        batch.forEach((held, i) => {
          onHandled?.(outcomes[i] ?? 'applied');
          source.ack(held.message);
        });
        return batch.map(() => 'done');
      } catch (error) {
        if (stopping) return batch.map(() => 'stopped'); // unsettled: the broker hands them to the next consumer
        if (isTransient(error) && lane.handingOver) {
          // The partition's next owner retries them; the checkpoint stays before them.
          for (const held of batch) source.requeue(held.message);
          return batch.map(() => 'requeued');
        }
        if (isTransient(error)) {
          const delay = Math.min(maxBackoffMs, 100 * 2 ** Math.min(attempt, 10));
          logger.warn({ projection, planId: batch[0]?.event.planId, versions: batch.map((h) => h.event.version), attempt, err: error }, 'dependency unavailable, retrying');
          await sleep(delay);
          continue;
        }
        // Find the culprit: one event at a time, in order.
        if (batch.length > 1) return applyOneByOne(lane, batch);
        const [{ message, event }] = batch as [Held];
        onHandled?.('failed');
        const final = message.returned >= source.deliveryLimit;
        logger.error({ projection, planId: event.planId, version: event.version, returned: message.returned, err: error }, final ? 'projection failed for good: dead-lettering the event' : 'projection failed, returning message');
        if (final) return [await deadLetter(message, error)];
        source.requeue(message);
        return ['requeued'];
      }
    }
  };

  const start = async (partition: number) => {
    if (stopping || lanes.has(partition)) return;
    const lane: Lane = { handingOver: false, inFlight: new Set(), subscribed: Promise.resolve(null), checkpointing: Promise.resolve(), nextMark: null };
    lanes.set(partition, lane);
    lane.subscribed = subscribe(partition, lane);
    await lane.subscribed;
  };

  const subscribe = async (partition: number, lane: Lane) => {
    const { inFlight } = lane;
    const watermark = createWatermark((await options.checkpoint?.(partition)) ?? null);
    const plans = new Map<string, Held[]>();
    const settle = (position: string, fate: 'done' | 'requeued') => {
      const mark = watermark.settled(position, fate);
      if (mark === null) return;
      // Marks only move forward: one write queued behind the one in flight writes the newest, so a
      // bulk answer settling many events at once costs two writes, not one per event.
      const queued = lane.nextMark !== null;
      lane.nextMark = mark;
      if (queued) return;
      lane.checkpointing = lane.checkpointing
        .then(() => {
          const newest = lane.nextMark;
          lane.nextMark = null;
          return newest === null ? undefined : setCheckpoint(partition, newest);
        })
        .catch((error: unknown) => logger.warn({ projection, partition, err: error }, 'checkpoint not saved'));
    };
    /** Applies a plan's held events until none are left; those arriving meanwhile form the next batch. */
    const drain = async (plan: string, held: Held[]) => {
      // Let the rest of what the broker delivered in the same read join the first batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (held.length > 0 && !stopping) {
        const batch = held.splice(0);
        // A consumer that went away may have applied a redelivered event without settling it, so
        // the target may already be past the projection's state: such events go one version at a
        // time (each change's diff is then exactly that version's), never folded over states the
        // target may hold. Fresh events are coalesced.
        const fates = batch.length > 1 && batch.some((h) => h.message.redelivered) ? await applyOneByOne(lane, batch) : await applyBatch(lane, batch);
        batch.forEach((h, i) => {
          const fate = fates[i];
          if (fate && fate !== 'stopped') settle(h.message.position, fate);
        });
      }
      plans.delete(plan);
    };
    return source.consume(
      partition,
      (message) => {
        watermark.arrived(message.position);
        let event: PlanEvent;
        try {
          event = parse(message);
        } catch {
          logger.error({ projection, position: message.position }, 'message is not JSON: dead-lettering it');
          const settling = deadLetter(message, new Error('The message is not JSON.')).then((fate) => settle(message.position, fate));
          inFlight.add(settling);
          void settling.finally(() => inFlight.delete(settling));
          return;
        }
        const plan = planKey(refOf(event));
        const held = plans.get(plan);
        if (held) {
          held.push({ message, event });
          return;
        }
        const fresh: Held[] = [{ message, event }];
        plans.set(plan, fresh);
        const running = drain(plan, fresh);
        inFlight.add(running);
        void running.finally(() => inFlight.delete(running));
      },
      { prefetch },
    );
  };

  /** Takes no new messages from the lane, and waits for those in hand. */
  const quiesce = async (lane: Lane) => {
    const subscription = await lane.subscribed.catch(() => null);
    await subscription?.cancel().catch(() => undefined);
    while (lane.inFlight.size > 0) await Promise.allSettled([...lane.inFlight]);
  };

  for (const partition of options.partitions ?? Array.from({ length: source.partitions }, (_, p) => p)) await start(partition);

  return {
    start,
    async handOver(partition) {
      const lane = lanes.get(partition);
      if (!lane) return;
      lane.handingOver = true;
      await quiesce(lane);
      await lane.checkpointing;
      lanes.delete(partition);
    },
    partitions: () => [...lanes.keys()].sort((a, b) => a - b),
    async stop() {
      stopping = true;
      await Promise.all([...lanes.values()].map(quiesce));
      lanes.clear();
    },
  };
}
