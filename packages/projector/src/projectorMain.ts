#!/usr/bin/env node
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { commonSettings, readConfig, setting } from '@planledger/core';
import { createRedisKeys, RedisEventLog, RedisPlanDirectory, RedisProjectionState } from '@planledger/core/redis';
import { createBrokerTopology, PROJECTIONS, type ProjectionName } from '@planledger/core/rabbitmq';
import type { ProjectionTarget } from '@planledger/core';
import { createElasticClient, ElasticPlanIndex, ensurePlanIndex } from '@planledger/core/elasticsearch';
import { consumeProjection } from './consumeProjection.js';
import { createProjectionRunner } from './createProjectionRunner.js';
import { createProjectorMetrics } from './projectorMetrics.js';
import { runProcess } from './runProcess.js';

const config = readConfig(
  {
    ...commonSettings,
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
  const index = await ensurePlanIndex(es, config.esAlias);
  const connection = await amqp.connect(config.amqpUrl);
  const topology = createBrokerTopology({ namespace: config.amqpNamespace, partitions: config.partitions, deliveryLimit: config.deliveryLimit });
  const log = new RedisEventLog(redis, keys);
  const inspection = await connection.createChannel();
  const metrics = createProjectorMetrics({
    deadLetters: async () =>
      Object.fromEntries(await Promise.all(PROJECTIONS.map(async (name) => [name, (await inspection.checkQueue(topology.deadLetterQueue(name))).messageCount] as const))),
  });
  const targets: Record<ProjectionName, ProjectionTarget> = {
    search: new ElasticPlanIndex(es, config.esAlias, { maxActions: config.bulkMaxActions, maxWaitMs: config.bulkMaxWaitMs, onFlush: (actions) => metrics.bulkActions.observe(actions) }),
    redis: new RedisPlanDirectory(redis, config.keyPrefix),
  };
  const states: Record<ProjectionName, RedisProjectionState> = {
    search: new RedisProjectionState(redis, keys, 'search'),
    redis: new RedisProjectionState(redis, keys, 'redis'),
  };
  // One channel per projection, so each has its own prefetch window and ordering.
  const consumers = await Promise.all(
    (Object.entries(targets) as [ProjectionName, ProjectionTarget][]).map(async ([projection, target]) =>
      consumeProjection({
        channel: await connection.createChannel(),
        topology,
        projection,
        runner: createProjectionRunner({ log, state: states[projection], target, logger }),
        setCheckpoint: (partition, position) => states[projection].setCheckpoint(partition, position),
        logger,
        onHandled: (outcome) => metrics.handled.inc({ projection, outcome }),
      }),
    ),
  );
  const metricsServer = config.metricsPort > 0 ? await metrics.serve(config.metricsPort, config.metricsHost) : null;
  logger.info({ index, alias: config.esAlias, metrics: metricsServer ? `http://${config.metricsHost}:${config.metricsPort}/metrics` : null }, 'projector consuming');
  return {
    done: new Promise<void>((_, reject) => connection.on('close', () => reject(new Error('broker connection closed')))),
    stop: async () => {
      metricsServer?.close();
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await connection.close().catch(() => undefined);
      redis.disconnect();
      await es.close();
    },
  };
});
