#!/usr/bin/env node
import os from 'node:os';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { commonSettings, readConfig, setting } from '@planledger/core';
import { assertDurableRedis, createRedisKeys } from '@planledger/core/redis';
import { createBrokerTopology } from '@planledger/core/rabbitmq';
import { createBrokerRelay } from './createBrokerRelay.js';
import { PROJECTION_NAMES } from './projections/index.js';
import { createRelayMetrics } from './relayMetrics.js';
import { runProcess } from './runProcess.js';
import { shareSettings } from './shareSettings.js';

const config = readConfig(
  {
    ...commonSettings,
    ...shareSettings,
    metricsPort: setting('integer', 'RELAY_METRICS_PORT', 'Port of the relay’s /metrics (0: none).', 9466),
    metricsHost: setting('string', 'RELAY_METRICS_HOST', 'Address of the relay’s /metrics.', '127.0.0.1'),
    consumer: setting('string', 'RELAY_CONSUMER', 'Consumer name in the log streams\' group; keep it stable across restarts.', `relay-${os.hostname()}`),
  },
  process.env,
);

await runProcess('relay', config.logLevel, async (logger) => {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  await assertDurableRedis(redis, { allowNonDurable: config.allowNonDurableRedis });
  const connection = await amqp.connect(config.amqpUrl);
  const channel = await connection.createConfirmChannel();
  const metrics = createRelayMetrics();
  const relay = createBrokerRelay({
    redis,
    keys: createRedisKeys({ prefix: config.keyPrefix, partitions: config.partitions }),
    channel,
    topology: createBrokerTopology({ namespace: config.amqpNamespace, partitions: config.partitions, deliveryLimit: config.deliveryLimit, projections: PROJECTION_NAMES }),
    consumer: config.consumer,
    instance: config.instanceName,
    leaseMs: config.partitionLeaseMs,
    heartbeatMs: config.partitionHeartbeatMs,
    onOwned: (partitions) => metrics.partitionsOwned.set({ role: 'relay' }, partitions.length),
    onPublished: (partition, count) => metrics.published.inc({ partition }, count),
    logger,
  });
  const metricsServer = config.metricsPort > 0 ? await metrics.serve(config.metricsPort, config.metricsHost) : null;
  logger.info({ consumer: config.consumer, instance: config.instanceName, partitions: config.partitions, metrics: metricsServer ? `http://${config.metricsHost}:${config.metricsPort}/metrics` : null }, 'relay running');
  const closed = new Promise<void>((_, reject) => connection.on('close', () => reject(new Error('broker connection closed'))));
  return {
    done: Promise.race([relay.run(), closed]),
    stop: async () => {
      metricsServer?.close();
      await relay.stop();
      await connection.close().catch(() => undefined);
      redis.disconnect();
    },
  };
});
