import type { Channel, ConsumeMessage } from 'amqplib';
import type { Logger, PlanEvent } from '@planledger/core';
import type { BrokerTopology, ProjectionName } from '@planledger/core/rabbitmq';
import type { ProjectionRunner } from './createProjectionRunner.js';
import { isTransientError } from '@planledger/core/elasticsearch';

export interface ConsumeProjectionOptions {
  readonly channel: Channel;
  readonly topology: BrokerTopology;
  readonly projection: ProjectionName;
  readonly runner: ProjectionRunner;
  readonly logger: Logger;
  readonly prefetch?: number;
  /** Longest wait between retries while a dependency (Elasticsearch, Redis) is down. */
  readonly maxBackoffMs?: number;
  /** Told how each message went (for metrics). */
  readonly onHandled?: (outcome: 'applied' | 'duplicate' | 'failed') => void;
}

export interface ProjectionConsumer {
  /** Stops taking messages and waits for the ones in hand. */
  stop(): Promise<void>;
}

/**
 * Consumes one projection's partition queues, strictly in order per queue. A dependency that is
 * down is waited for (the message stays in hand, nothing is dead-lettered); any other failure
 * returns the message to the broker, which dead-letters it after the delivery limit.
 */
export async function consumeProjection({
  channel,
  topology,
  projection,
  runner,
  logger,
  prefetch = 100,
  maxBackoffMs = 5_000,
  onHandled,
}: ConsumeProjectionOptions): Promise<ProjectionConsumer> {
  let stopping = false;
  const tails: Promise<void>[] = [];
  const consumerTags: string[] = [];
  await channel.prefetch(prefetch);

  const handle = async (message: ConsumeMessage): Promise<void> => {
    const position = String(message.properties.headers?.position ?? '');
    let event: PlanEvent;
    try {
      event = JSON.parse(message.content.toString('utf8')) as PlanEvent;
    } catch {
      logger.error({ projection, position }, 'message is not JSON: rejecting it to the dead-letter queue');
      channel.nack(message, false, false);
      return;
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        onHandled?.(await runner.handle(event, position));
        channel.ack(message);
        return;
      } catch (error) {
        if (isTransientError(error) && !stopping) {
          const delay = Math.min(maxBackoffMs, 100 * 2 ** Math.min(attempt, 10));
          logger.warn({ projection, planId: event.planId, version: event.version, attempt, err: error }, 'dependency unavailable, retrying');
          await new Promise((resolve) => setTimeout(resolve, delay));
          continue;
        }
        if (stopping) return; // unacked: the broker hands it to the next consumer
        logger.error({ projection, planId: event.planId, version: event.version, err: error }, 'projection failed, returning message');
        onHandled?.('failed');
        channel.nack(message, false, true);
        return;
      }
    }
  };

  for (let partition = 0; partition < topology.partitions; partition += 1) {
    let tail = Promise.resolve();
    const index = tails.push(tail) - 1;
    const { consumerTag } = await channel.consume(topology.queue(projection, partition), (message) => {
      if (message === null) return;
      tail = tail.then(() => handle(message));
      tails[index] = tail;
    });
    consumerTags.push(consumerTag);
  }

  return {
    async stop() {
      stopping = true;
      for (const tag of consumerTags) await channel.cancel(tag).catch(() => undefined);
      await Promise.all(tails);
    },
  };
}
