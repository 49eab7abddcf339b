#!/usr/bin/env node
import os from 'node:os';
import amqp from 'amqplib';
import { commonSettings, readConfig, setting } from '@planledger/core';
import { assertDurableRedis, createRedisKeys, connectRedis } from '@planledger/core/redis';
import { createBrokerTopology } from '@planledger/core/rabbitmq';
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
  const connection = await amqp.connect(config.amqpUrl);
  const channel = await connection.createConfirmChannel();
  const relay = createBrokerRelay({
    redis,
    keys: createRedisKeys({ prefix: config.keyPrefix, partitions: config.partitions }),
    channel,
    topology: createBrokerTopology({ namespace: config.amqpNamespace, partitions: config.partitions, deliveryLimit: config.deliveryLimit, projections: PROJECTION_NAMES }),
    consumer: config.consumer,
    logger,
  });
  logger.info({ consumer: config.consumer, partitions: config.partitions }, 'relay running');
  const closed = new Promise<void>((_, reject) => connection.on('close', () => reject(new Error('broker connection closed'))));
  return {
    done: Promise.race([relay.run(), closed]),
    stop: async () => {
      await relay.stop();
      await connection.close().catch(() => undefined);
      redis.disconnect();
    },
  };
});
