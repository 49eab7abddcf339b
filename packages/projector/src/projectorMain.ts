#!/usr/bin/env node
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { commonSettings, readConfig, setting } from '@planledger/core';
import { createRedisKeys, RedisEventLog, RedisPartitionLeaseStore, RedisProjectionState } from '@planledger/core/redis';
import { AmqpMessageSource, createBrokerTopology } from '@planledger/core/rabbitmq';
import { createElasticClient } from '@planledger/core/elasticsearch';
import { deadLetterOf, drainDeadLetterQueue, RedisDeadLetterStore } from './admin/index.js';
import { consumeProjection } from './consumeProjection.js';
import { createProjectionRunner } from './createProjectionRunner.js';
import { createProjectorMetrics } from './projectorMetrics.js';
import { PROJECTION_NAMES, PROJECTIONS } from './projections/index.js';
import { runProcess } from './runProcess.js';
import { servePartitions } from './servePartitions.js';
import { shareSettings } from './shareSettings.js';

const config = readConfig(
  {
    ...commonSettings,
    ...shareSettings,
    metricsPort: setting('integer', 'PROJECTOR_METRICS_PORT', 'Port of the projector’s /metrics (0: none).', 9464),
    metricsHost: setting('string', 'PROJECTOR_METRICS_HOST', 'Address of the projector’s /metrics.', '127.0.0.1'),
    bulkMaxActions: setting('integer', 'ES_BULK_MAX_ACTIONS', 'Flush an Elasticsearch bulk request at this many actions.', 1000),
    bulkMaxWaitMs: setting('integer', 'ES_BULK_MAX_WAIT_MS', 'Flush an Elasticsearch bulk request this long after its first action.', 10),
  },
  process.env,
);

await runProcess('projector', config.logLevel, async (logger) => {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const keys = createRedisKeys({ prefix: config.keyPrefix, partitions: config.partitions });
  const es = createElasticClient({ url: config.esUrl, requestTimeoutMs: config.esRequestTimeoutMs });
  const connection = await amqp.connect(config.amqpUrl);
  const topology = createBrokerTopology({ namespace: config.amqpNamespace, partitions: config.partitions, deliveryLimit: config.deliveryLimit, projections: PROJECTION_NAMES });
  const log = new RedisEventLog(redis, keys);
  const inspection = await connection.createChannel();
  const deadLetters = new RedisDeadLetterStore(redis, config.keyPrefix, PROJECTION_NAMES);
  const metrics = createProjectorMetrics({
    // Waiting records, plus what the broker dead-lettered and the drain has not recorded yet.
    deadLetters: async () =>
      Object.fromEntries(
        await Promise.all(PROJECTION_NAMES.map(async (name) => [name, (await deadLetters.waitingCount(name)) + (await inspection.checkQueue(topology.deadLetterQueue(name))).messageCount] as const)),
      ),
  });
  const drains = await Promise.all(PROJECTION_NAMES.map(async (projection) => drainDeadLetterQueue({ channel: await connection.createChannel(), topology, projection, store: deadLetters, logger })));
  const resources = { redis, keys, es, alias: config.esAlias };
  await Promise.all(PROJECTIONS.map((projection) => projection.ensureLive?.(resources)));
  const bulk = { maxActions: config.bulkMaxActions, maxWaitMs: config.bulkMaxWaitMs, onFlush: (actions: number) => metrics.bulkActions.observe(actions) };
  // One channel per projection, so each has its own prefetch window and ordering.
  const consumers = await Promise.all(
    PROJECTIONS.map(async (projection) => {
      const state = new RedisProjectionState(redis, keys, projection.name);
      return consumeProjection({
        source: new AmqpMessageSource(await connection.createChannel(), topology, projection.name),
        projection: projection.name,
        runner: createProjectionRunner({ log, state, target: projection.liveTarget(resources, { bulk }), logger }),
        setCheckpoint: (partition, position) => state.setCheckpoint(partition, position),
        checkpoint: (partition) => state.checkpoint(partition),
        partitions: [], // the partition share starts them
        logger,
        onHandled: (outcome) => metrics.handled.inc({ projection: projection.name, outcome }),
        recordDeadLetter: ({ message, error }) =>
          deadLetters.record(deadLetterOf({ projection: projection.name, partition: message.partition, position: message.position, body: message.body, error, deliveryCount: message.returned + 1, at: new Date() })),
      });
    }),
  );
  const serving = servePartitions({
    store: new RedisPartitionLeaseStore(redis, keys, 'projector'),
    member: config.instanceName,
    role: 'projector',
    leaseMs: config.partitionLeaseMs,
    heartbeatMs: config.partitionHeartbeatMs,
    workers: consumers,
    logger,
    onChange: (partitions) => metrics.partitionsOwned.set({ role: 'projector' }, partitions.length),
  });
  const metricsServer = config.metricsPort > 0 ? await metrics.serve(config.metricsPort, config.metricsHost) : null;
  const targets = Object.fromEntries(await Promise.all(PROJECTIONS.map(async (projection) => [projection.name, await projection.currentTarget(resources)] as const)));
  logger.info({ instance: config.instanceName, targets, alias: config.esAlias, metrics: metricsServer ? `http://${config.metricsHost}:${config.metricsPort}/metrics` : null }, 'projector consuming');
  return {
    done: new Promise<void>((_, reject) => connection.on('close', () => reject(new Error('broker connection closed')))),
    stop: async () => {
      metricsServer?.close();
      await serving.stop();
      await Promise.all(drains.map((drain) => drain.cancel()));
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await connection.close().catch(() => undefined);
      redis.disconnect();
      await es.close();
    },
  };
});
