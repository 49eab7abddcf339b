#!/usr/bin/env node
import type { Channel } from 'amqplib';
import { commonSettings, createSharedFold, esNodesOf, readConfig, setting } from '@planledger/core';
import { createRedisKeys, RedisEventLog, RedisPartitionLeaseStore, RedisProjectionState, connectRedis } from '@planledger/core/redis';
import { AmqpMessageSource, createBrokerTopology } from '@planledger/core/rabbitmq';
import { createBulkBatcher, createElasticClient } from '@planledger/core/elasticsearch';
import { brokerConnectorOf, keepBrokerSession } from './brokerSession.js';
import { deadLetterOf, drainDeadLetterQueue, RedisDeadLetterStore } from './admin/index.js';
import { consumeProjection } from './consumeProjection.js';
import { createEventParser } from './createEventParser.js';
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
    // Each bulk request costs Elasticsearch a translog fsync and per-request work besides its documents:
    // at 500 changes/s, 50 ms instead of 10 ms took its CPU per one-field PATCH from 0.58 to ~0.35 ms,
    // for at most 40 ms more before a change is searchable (the index refreshes every second anyway).
    bulkMaxWaitMs: setting('integer', 'ES_BULK_MAX_WAIT_MS', 'Flush an Elasticsearch bulk request this long after its first action.', 50),
  },
  process.env,
);

await runProcess('projector', config.logLevel, async (logger) => {
  const redis = connectRedis(config, { maxRetriesPerRequest: null });
  const keys = createRedisKeys({ prefix: config.keyPrefix, partitions: config.partitions });
  const es = createElasticClient({ nodes: esNodesOf(config), requestTimeoutMs: config.esRequestTimeoutMs });
  const topology = createBrokerTopology({ namespace: config.amqpNamespace, partitions: config.partitions, deliveryLimit: config.deliveryLimit, projections: PROJECTION_NAMES });
  const log = new RedisEventLog(redis, keys);
  const deadLetters = new RedisDeadLetterStore(redis, config.keyPrefix, PROJECTION_NAMES);
  /** A channel of the current broker session for queue counts (reopened when a check closed it; none between sessions). */
  let inspection: (() => Promise<Channel>) | null = null;
  const metrics = createProjectorMetrics({
    // Waiting records, plus what the broker dead-lettered and the drain has not recorded yet.
    deadLetters: async () =>
      Object.fromEntries(
        await Promise.all(PROJECTION_NAMES.map(async (name) => [name, (await deadLetters.waitingCount(name)) + ((await (await inspection?.())?.checkQueue(topology.deadLetterQueue(name)))?.messageCount ?? 0)] as const)),
      ),
  });
  const resources = { redis, keys, es, alias: config.esAlias, replicas: config.esReplicas };
  await Promise.all(PROJECTIONS.map((projection) => projection.ensureLive?.(resources)));
  // One batcher for every projection's Elasticsearch writes: a change's search and temporal
  // documents go in the same bulk request, not in one request each.
  const bulk = createBulkBatcher({ client: es, maxActions: config.bulkMaxActions, maxWaitMs: config.bulkMaxWaitMs, onFlush: (actions: number) => metrics.bulkActions.observe(actions) });
  // One fold and one parser for every projection: in step, they read each event and fold it into
  // the same objects once.
  const evolve = createSharedFold();
  const parse = createEventParser();
  // Everything on the broker is one session: when its node goes, the consumers stop (the broker
  // redelivers what they held), the partitions are handed over, and all starts again on another node.
  const broker = await keepBrokerSession(brokerConnectorOf(config), logger, async (link) => {
    let channel: Promise<Channel> | null = null;
    inspection = () => (channel ??= link.channel({ watch: false }).then((opened) => opened.on('close', () => (channel = null))));
    const drains = await Promise.all(PROJECTION_NAMES.map(async (projection) => drainDeadLetterQueue({ channel: await link.channel(), topology, projection, store: deadLetters, logger })));
    // One channel per projection, so each has its own prefetch window and ordering.
    const consumers = await Promise.all(
      PROJECTIONS.map(async (projection) => {
        const state = new RedisProjectionState(redis, keys, projection.name, { log });
        return consumeProjection({
          source: new AmqpMessageSource(await link.channel(), topology, projection.name),
          projection: projection.name,
          runner: createProjectionRunner({ log, state, target: projection.liveTarget(resources, { bulk }), logger, evolve }),
          setCheckpoint: (partition, position) => state.setCheckpoint(partition, position),
          checkpoint: (partition) => state.checkpoint(partition),
          partitions: [], // the partition share starts them
          parse,
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
    return {
      stop: async () => {
        inspection = null;
        await serving.stop();
        await Promise.all(drains.map((drain) => drain.cancel()));
        await Promise.all(consumers.map((consumer) => consumer.stop()));
      },
    };
  });
  const metricsServer = config.metricsPort > 0 ? await metrics.serve(config.metricsPort, config.metricsHost) : null;
  const targets = Object.fromEntries(await Promise.all(PROJECTIONS.map(async (projection) => [projection.name, await projection.currentTarget(resources)] as const)));
  logger.info({ instance: config.instanceName, targets, alias: config.esAlias, metrics: metricsServer ? `http://${config.metricsHost}:${config.metricsPort}/metrics` : null }, 'projector consuming');
  return {
    done: broker.done,
    stop: async () => {
      metricsServer?.close();
      await broker.stop();
      redis.disconnect();
      await es.close();
    },
  };
});
