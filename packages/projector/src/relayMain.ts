#!/usr/bin/env node
import os from 'node:os';
import { commonSettings, readConfig, setting } from '@planledger/core';
import { assertDurableRedis, createRedisKeys, connectRedis } from '@planledger/core/redis';
import { createBrokerTopology } from '@planledger/core/rabbitmq';
import { brokerConnectorOf, keepBrokerSession } from './brokerSession.js';
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
  const redis = connectRedis(config, { maxRetriesPerRequest: null });
  await assertDurableRedis(redis, { allowNonDurable: config.allowNonDurableRedis });
  const metrics = createRelayMetrics();
  // On a lost broker connection the relay stops (nothing unconfirmed was acknowledged in the log;
  // its partitions are released) and a new one starts on another node, rejoining the share and
  // re-publishing what is pending in the partitions it takes first.
  const broker = await keepBrokerSession(brokerConnectorOf(config), logger, async (link) => {
    const relay = createBrokerRelay({
      redis,
      keys: createRedisKeys({ prefix: config.keyPrefix, partitions: config.partitions }),
      channel: await link.confirmChannel(),
      topology: createBrokerTopology({ namespace: config.amqpNamespace, partitions: config.partitions, deliveryLimit: config.deliveryLimit, projections: PROJECTION_NAMES }),
      consumer: config.consumer,
      instance: config.instanceName,
      leaseMs: config.partitionLeaseMs,
      heartbeatMs: config.partitionHeartbeatMs,
      onOwned: (partitions) => metrics.partitionsOwned.set({ role: 'relay' }, partitions.length),
      onPublished: (partition, count) => metrics.published.inc({ partition }, count),
      logger,
    });
    return { done: relay.run(), stop: () => relay.stop() };
  });
  const metricsServer = config.metricsPort > 0 ? await metrics.serve(config.metricsPort, config.metricsHost) : null;
  logger.info({ consumer: config.consumer, instance: config.instanceName, partitions: config.partitions, metrics: metricsServer ? `http://${config.metricsHost}:${config.metricsPort}/metrics` : null }, 'relay running');
  return {
    done: broker.done,
    stop: async () => {
      metricsServer?.close();
      await broker.stop();
      redis.disconnect();
    },
  };
});
