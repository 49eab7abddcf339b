import type { ConfirmChannel } from 'amqplib';
import type { RedisClient } from '@planledger/core/redis';
import type { Logger } from '@planledger/core';
import { RedisPartitionLog, type RedisKeys } from '@planledger/core/redis';
import type { BrokerTopology } from '@planledger/core/rabbitmq';
import { createPartitionLeases } from './createPartitionLeases.js';
import { createRelay, type Relay, type RelayPublisher } from './createRelay.js';

export interface BrokerRelayOptions {
  /** The relay's own connection: it blocks on XREADGROUP, so it must not be shared. */
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly channel: ConfirmChannel;
  readonly topology: BrokerTopology;
  readonly consumer: string;
  readonly group?: string;
  readonly batchSize?: number;
  readonly blockMs?: number;
  /** How long a partition stays this instance's after its last renewal. */
  readonly leaseMs?: number;
  readonly logger: Logger;
  readonly onPublished?: (partition: number, count: number) => void;
}

/** The relay over the real adapters: partition logs on Redis Streams, leases in Redis, publishing to RabbitMQ. */
export function createBrokerRelay({ redis, keys, channel, topology, leaseMs = 10_000, consumer, ...rest }: BrokerRelayOptions): Relay {
  const control = redis.duplicate();
  const leases = createPartitionLeases({ redis: control, keys, owner: consumer, leaseMs });
  const relay = createRelay({
    ...rest,
    consumer,
    log: new RedisPartitionLog(redis, keys),
    publisher: createAmqpPublisher(channel, topology),
    leases: { ...leases, releaseAll: async () => { await leases.releaseAll(); control.disconnect(); } },
  });
  return relay;
}

/** Publishes to the broker's exchange on a confirm channel, routed by partition. */
export function createAmqpPublisher(channel: ConfirmChannel, topology: BrokerTopology): RelayPublisher {
  return {
    publish(entry) {
      channel.publish(topology.exchange, topology.routingKey(entry.partition), Buffer.from(entry.json), {
        persistent: true,
        contentType: 'application/json',
        // The log holds each event once, in one field: its position names it uniquely.
        messageId: `${entry.partition}/${entry.position}`,
        headers: { position: entry.position, partition: entry.partition },
      });
    },
    confirmed: () => channel.waitForConfirms(),
  };
}
