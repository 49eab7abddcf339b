#!/usr/bin/env node
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { commonSettings, readConfig } from '@planledger/core';
import { createRedisKeys, RedisEventLog, RedisPlanDirectory, RedisProjectionState } from '@planledger/core/redis';
import { createBrokerTopology, type ProjectionName } from '@planledger/core/rabbitmq';
import type { ProjectionTarget } from '@planledger/core';
import { createElasticClient, ElasticPlanIndex, ensurePlanIndex } from '@planledger/core/elasticsearch';
import { consumeProjection } from './consumeProjection.js';
import { createProjectionRunner } from './createProjectionRunner.js';
import { runProcess } from './runProcess.js';

const config = readConfig(commonSettings, process.env);

await runProcess('projector', config.logLevel, async (logger) => {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const keys = createRedisKeys({ prefix: config.keyPrefix, partitions: config.partitions });
  const es = createElasticClient({ url: config.esUrl });
  const index = await ensurePlanIndex(es, config.esAlias);
  const connection = await amqp.connect(config.amqpUrl);
  const topology = createBrokerTopology({ namespace: config.amqpNamespace, partitions: config.partitions, deliveryLimit: config.deliveryLimit });
  const log = new RedisEventLog(redis, keys);
  const targets: Record<ProjectionName, ProjectionTarget> = {
    search: new ElasticPlanIndex(es, config.esAlias),
    redis: new RedisPlanDirectory(redis, config.keyPrefix),
  };
  // One channel per projection, so each has its own prefetch window and ordering.
  const consumers = await Promise.all(
    (Object.entries(targets) as [ProjectionName, ProjectionTarget][]).map(async ([projection, target]) =>
      consumeProjection({
        channel: await connection.createChannel(),
        topology,
        projection,
        runner: createProjectionRunner({ log, state: new RedisProjectionState(redis, keys, target.name), target, logger }),
        logger,
      }),
    ),
  );
  logger.info({ index, alias: config.esAlias }, 'projector consuming');
  return {
    done: new Promise<void>((_, reject) => connection.on('close', () => reject(new Error('broker connection closed')))),
    stop: async () => {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await connection.close().catch(() => undefined);
      redis.disconnect();
      await es.close();
    },
  };
});
