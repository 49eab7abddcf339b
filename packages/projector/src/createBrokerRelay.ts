import type { ConfirmChannel } from 'amqplib';
import type { RedisClient } from '@planledger/core/redis';
import type { Logger } from '@planledger/core';
import { RedisPartitionLeaseStore, RedisPartitionLog, type RedisKeys } from '@planledger/core/redis';
import type { BrokerTopology } from '@planledger/core/rabbitmq';
import { createPartitionShare } from './createPartitionShare.js';
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
  /** This instance among the live relays sharing the partitions (default: the consumer name). */
  readonly instance?: string;
  /** How long a partition stays this instance's after its last renewal. */
  readonly leaseMs?: number;
  /** Least time between two membership heartbeats and lease renewals. */
  readonly heartbeatMs?: number;
  /** Told the partitions this instance serves after every change. */
  readonly onOwned?: (partitions: number[]) => void;
  readonly logger: Logger;
  readonly onPublished?: (partition: number, count: number) => void;
}

/**
 * The relay over the real adapters: partition logs on Redis Streams, a fair share of the
 * partitions among the live relays (leases in Redis), publishing to RabbitMQ. The relay reads its
 * partitions one batch at a time and acknowledges each batch before the next round, so a partition
 * it gives up has nothing in flight: hand-over is just the release.
 */
export function createBrokerRelay({ redis, keys, channel, topology, leaseMs = 10_000, heartbeatMs = Math.min(2_000, leaseMs / 3), consumer, instance = consumer, onOwned, ...rest }: BrokerRelayOptions): Relay {
  const control = redis.duplicate();
  const store = new RedisPartitionLeaseStore(control, keys, 'relay');
  const leases = createPartitionShare({ store, member: instance, role: 'relay', leaseMs, heartbeatMs, logger: rest.logger, ...(onOwned ? { onChange: onOwned } : {}) });
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
