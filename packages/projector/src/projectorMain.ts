#!/usr/bin/env node
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { commonSettings, readConfig } from '@planledger/core';
import { createRedisKeys, RedisEventLog, RedisProjectionState } from '@planledger/core/redis';
import { createBrokerTopology } from '@planledger/core/rabbitmq';
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
  const channel = await connection.createChannel();
  const target = new ElasticPlanIndex(es, config.esAlias);
  const consumer = await consumeProjection({
    channel,
    topology: createBrokerTopology({ namespace: config.amqpNamespace, partitions: config.partitions, deliveryLimit: config.deliveryLimit }),
    projection: 'search',
    runner: createProjectionRunner({ log: new RedisEventLog(redis, keys), state: new RedisProjectionState(redis, keys, target.name), target, logger }),
    logger,
  });
  logger.info({ index, alias: config.esAlias }, 'projector consuming');
  return {
    done: new Promise<void>((_, reject) => connection.on('close', () => reject(new Error('broker connection closed')))),
    stop: async () => {
      await consumer.stop();
      await connection.close().catch(() => undefined);
      redis.disconnect();
      await es.close();
    },
  };
});
