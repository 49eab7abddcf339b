import type { Channel, ConsumeMessage } from 'amqplib';
import { planKey, refOf, type Logger, type PlanEvent } from '@planledger/core';
import { isTransientError } from '@planledger/core/elasticsearch';
import type { BrokerTopology, ProjectionName } from '@planledger/core/rabbitmq';
import type { HandleOutcome, ProjectionRunner } from './createProjectionRunner.js';
import { createWatermark } from './createWatermark.js';

export interface ConsumeProjectionOptions {
  readonly channel: Channel;
  readonly topology: BrokerTopology;
  readonly projection: ProjectionName;
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
}

export interface ProjectionConsumer {
  /** Stops taking messages and waits for the ones in hand. */
  stop(): Promise<void>;
}

/**
 * Consumes one projection's partition queues. Within a queue, each plan's events are applied in
 * order while different plans proceed at once (so their writes share bulk requests); the
 * partition's checkpoint follows the watermark of settled events. A dependency that is down is
 * waited for (the message stays in hand, nothing is dead-lettered); any other failure returns the
 * message to the broker, which dead-letters it after the delivery limit.
 */
export async function consumeProjection(options: ConsumeProjectionOptions): Promise<ProjectionConsumer> {
  const { channel, topology, projection, runner, setCheckpoint, logger, prefetch = 50, maxBackoffMs = 5_000, onHandled } = options;
  let stopping = false;
  const inFlight = new Set<Promise<void>>();
  const consumerTags: string[] = [];
  await channel.prefetch(prefetch);

  /** Applies one event, retrying while a dependency is down; says whether it settled for good. */
  const apply = async (message: ConsumeMessage, event: PlanEvent): Promise<'done' | 'requeued' | 'stopped'> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        onHandled?.(await runner.handle(event));
        channel.ack(message);
        return 'done';
      } catch (error) {
        if (stopping) return 'stopped'; // unacked: the broker hands it to the next consumer
        if (isTransientError(error)) {
          const delay = Math.min(maxBackoffMs, 100 * 2 ** Math.min(attempt, 10));
          logger.warn({ projection, planId: event.planId, version: event.version, attempt, err: error }, 'dependency unavailable, retrying');
          await new Promise((resolve) => setTimeout(resolve, delay));
          continue;
        }
        onHandled?.('failed');
        // The broker counts deliveries; past the limit this return dead-letters the message for good.
        const deliveries = Number(message.properties.headers?.['x-delivery-count'] ?? 0);
        const final = deliveries >= topology.deliveryLimit;
        logger.error({ projection, planId: event.planId, version: event.version, deliveries, err: error }, final ? 'projection failed for good: dead-lettering the event' : 'projection failed, returning message');
        channel.nack(message, false, true);
        return final ? 'done' : 'requeued';
      }
    }
  };

  const consumePartition = async (partition: number) => {
    const watermark = createWatermark();
    const chains = new Map<string, Promise<void>>();
    let checkpointing = Promise.resolve();
    const settle = (position: string, fate: 'done' | 'requeued') => {
      const mark = watermark.settled(position, fate);
      if (mark !== null) checkpointing = checkpointing.then(() => setCheckpoint(partition, mark)).catch((error: unknown) => logger.warn({ projection, partition, err: error }, 'checkpoint not saved'));
    };
    const { consumerTag } = await channel.consume(topology.queue(projection, partition), (message) => {
      if (message === null) return;
      const position = String(message.properties.headers?.position ?? '');
      watermark.arrived(position);
      let event: PlanEvent;
      try {
        event = JSON.parse(message.content.toString('utf8')) as PlanEvent;
      } catch {
        logger.error({ projection, position }, 'message is not JSON: dead-lettering it');
        channel.nack(message, false, false);
        settle(position, 'done');
        return;
      }
      const plan = planKey(refOf(event));
      const previous = chains.get(plan) ?? Promise.resolve();
      const next = previous.then(async () => {
        const fate = await apply(message, event);
        if (fate !== 'stopped') settle(position, fate);
      });
      chains.set(plan, next);
      inFlight.add(next);
      void next.finally(() => {
        inFlight.delete(next);
        if (chains.get(plan) === next) chains.delete(plan);
      });
    });
    consumerTags.push(consumerTag);
  };

  for (let partition = 0; partition < topology.partitions; partition += 1) await consumePartition(partition);

  return {
    async stop() {
      stopping = true;
      for (const tag of consumerTags) await channel.cancel(tag).catch(() => undefined);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
