#!/usr/bin/env node
import os from 'node:os';
import { commonSettings, readConfig, setting } from '@planledger/core';
import { assertDurableRedis, createRedisKeys, connectRedis } from '@planledger/core/redis';
import { createBrokerTopology } from '@planledger/core/rabbitmq';
import { brokerConnectorOf, keepBrokerSession } from './brokerSession.js';
import { createBrokerRelay } from './createBrokerRelay.js';
import { PROJECTION_NAMES } from './projections/index.js';
import { runProcess } from './runProcess.js';

const config = readConfig(
  {
    ...commonSettings,
    consumer: setting('string', 'RELAY_CONSUMER', 'Consumer name in the log streams\' group; keep it stable across restarts.', `relay-${os.hostname()}`),
  },
  process.env,
);

await runProcess('relay', config.logLevel, async (logger) => {
  const redis = connectRedis(config, { maxRetriesPerRequest: null });
  await assertDurableRedis(redis, { allowNonDurable: config.allowNonDurableRedis });
  // On a lost broker connection the relay stops (nothing unconfirmed was acknowledged in the log)
  // and a new one starts on another node, re-publishing its pending entries first.
  const broker = await keepBrokerSession(brokerConnectorOf(config), logger, async (link) => {
    const relay = createBrokerRelay({
      redis,
      keys: createRedisKeys({ prefix: config.keyPrefix, partitions: config.partitions }),
      channel: await link.confirmChannel(),
      topology: createBrokerTopology({ namespace: config.amqpNamespace, partitions: config.partitions, deliveryLimit: config.deliveryLimit, projections: PROJECTION_NAMES }),
      consumer: config.consumer,
      logger,
    });
    return { done: relay.run(), stop: () => relay.stop() };
  });
  logger.info({ consumer: config.consumer, partitions: config.partitions }, 'relay running');
  return {
    done: broker.done,
    stop: async () => {
      await broker.stop();
      redis.disconnect();
    },
  };
});
