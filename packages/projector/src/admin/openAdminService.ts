import type { Client } from '@elastic/elasticsearch';
import type { RedisClient } from '@planledger/core/redis';
import type { Logger } from '@planledger/core';
import { RedisEventLog, RedisPartitionLog, type RedisKeys } from '@planledger/core/redis';
import { createAmqpConnector, createBrokerTopology } from '@planledger/core/rabbitmq';
import { PROJECTION_NAMES } from '../projections/index.js';
import { createAdminService, type AdminService } from './createAdminService.js';
import { createAmqpRepublisher } from './createAmqpRepublisher.js';
import { createJobRunner } from './createJobRunner.js';
import { RedisDeadLetterStore } from './RedisDeadLetterStore.js';
import { RedisJobStore } from './RedisJobStore.js';

export interface OpenAdminOptions {
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly es: Client;
  readonly alias: string;
  /** The broker's nodes (AMQP_URLS, or AMQP_URL alone). */
  readonly amqpUrls: readonly string[];
  readonly amqpHeartbeatS?: number;
  /** Replicas of the indices a rebuild creates (ES_REPLICAS). */
  readonly esReplicas?: number;
  readonly amqpNamespace: string;
  readonly deliveryLimit: number;
  readonly leaseMs: number;
  readonly logger: Logger;
}

/**
 * The admin service over the real adapters (jobs and dead letters in Redis, retries through
 * RabbitMQ): the one wiring the api and the CLI share. `close` stops this process's jobs (they
 * end interrupted) and the broker connection.
 */
export function openAdminService({ redis, keys, es, alias, amqpUrls, amqpHeartbeatS, esReplicas = 0, amqpNamespace, deliveryLimit, leaseMs, logger }: OpenAdminOptions): { admin: AdminService; close(): Promise<void> } {
  const jobs = createJobRunner({ store: new RedisJobStore(redis, keys.prefix), leaseMs, heartbeatMs: Math.max(100, Math.min(1_000, Math.floor(leaseMs / 3))), logger });
  const topology = createBrokerTopology({ namespace: amqpNamespace, partitions: keys.partitions, deliveryLimit, projections: PROJECTION_NAMES });
  const republisher = createAmqpRepublisher({ connector: createAmqpConnector({ urls: amqpUrls, ...(amqpHeartbeatS === undefined ? {} : { heartbeatS: amqpHeartbeatS }) }), topology });
  const admin = createAdminService({
    redis,
    keys,
    es,
    alias,
    replicas: esReplicas,
    log: new RedisEventLog(redis, keys),
    partitionLog: new RedisPartitionLog(redis, keys),
    jobs,
    deadLetters: new RedisDeadLetterStore(redis, keys.prefix, PROJECTION_NAMES),
    republisher,
    logger,
  });
  return {
    admin,
    async close() {
      await jobs.close();
      await republisher.close();
    },
  };
}
