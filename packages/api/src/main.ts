#!/usr/bin/env node
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { amqpUrlsOf, createChangeFeed, createPlanAudit, createPlanService, esNodesOf, readConfig, runProcess, type RunningProcess } from '@planledger/core';
import { assertDurableRedis, createRedisKeys, RedisEventLog, RedisPartitionLeaseStore, RedisPartitionLog, RedisPlanDirectory, RedisProjectionState, STREAM_POSITION_TIMES, connectRedis, replicaAcksOf } from '@planledger/core/redis';
import { createElasticClient, ElasticPlanSearch, temporalAlias } from '@planledger/core/elasticsearch';
import { openAdminService } from '@planledger/projector';
import { createApp } from './app.js';
import { createConsistencyGate } from './consistencyGate.js';
import { createLagReport } from './lagReport.js';
import { createApiMetrics } from './metrics.js';
import { createKeyResolver } from './auth/createKeyResolver.js';
import { discoverOAuthEndpoints } from './auth/discoverOAuthEndpoints.js';
import { parseScopeGrants } from './auth/principalFromClaims.js';
import { apiSettings } from './config.js';
import { apiRedisOptions } from './redisClientOptions.js';
import { bearerAuth } from './middleware/bearerAuth.js';
import { poolMetrics, startWorkerPool, workerCount, workerSignals } from './workerPool.js';

const config = readConfig(apiSettings, process.env);
const list = (value: string) => value.split(',').map((item) => item.trim()).filter(Boolean);

const logger = pino({ name: 'api', level: config.logLevel });

/** Connects, checks the log's durability, and listens; the runner stops it on SIGINT or SIGTERM. */
async function start(): Promise<RunningProcess> {
  // The api's commands wait longer than an append's replica confirmations (WAIT) may take.
  const replicaAcks = replicaAcksOf(config);
  const commandTimeoutMs = replicaAcks.count > 0 ? Math.max(config.redisCommandTimeoutMs, replicaAcks.timeoutMs + 1_000) : config.redisCommandTimeoutMs;
  const redis = connectRedis(config, apiRedisOptions(commandTimeoutMs));
  // A lost or silent connection is reconnected by ioredis; the requests meanwhile answer 503.
  redis.on('error', (error: Error) => logger.warn({ err: error }, 'redis connection error'));
  const es = createElasticClient({ nodes: esNodesOf(config), requestTimeoutMs: Math.min(config.esRequestTimeoutMs, 10_000) });
  try {
    await assertDurableRedis(redis, { allowNonDurable: config.allowNonDurableRedis });
  } catch (error) {
    redis.disconnect();
    await es.close();
    throw error;
  }

  const keys = createRedisKeys({ prefix: config.keyPrefix, partitions: config.partitions });
  const partitionLog = new RedisPartitionLog(redis, keys);
  const leases = { relay: new RedisPartitionLeaseStore(redis, keys, 'relay'), projector: new RedisPartitionLeaseStore(redis, keys, 'projector') };
  const lag = createLagReport({ log: partitionLog, checkpoint: (projection, partition) => new RedisProjectionState(redis, keys, projection).checkpoint(partition), holders: (role) => leases[role].holders() });
  const metrics = createApiMetrics({ lag, ...(cluster.isWorker ? { gather: poolMetrics } : {}) });
  const log = metrics.timeAppends(new RedisEventLog(redis, keys, { replicaAcks }));
  const searchStates = { search: new RedisProjectionState(redis, keys, 'search'), asof: new RedisProjectionState(redis, keys, 'asof') };
  const indexOf = { search: config.esAlias, asof: temporalAlias(config.esAlias) };
  // Admin jobs run in this process with their own Elasticsearch client (a rebuild's bulk requests may take longer than a read's timeout).
  const adminEs = createElasticClient({ nodes: esNodesOf(config), requestTimeoutMs: config.esRequestTimeoutMs });
  const admin = openAdminService({ redis, keys, es: adminEs, alias: config.esAlias, amqpUrls: amqpUrlsOf(config), amqpHeartbeatS: config.amqpHeartbeatS, esReplicas: config.esReplicas, amqpNamespace: config.amqpNamespace, deliveryLimit: config.deliveryLimit, leaseMs: config.adminJobLeaseMs, logger });
  const interrupted = await admin.admin.jobs.sweep();
  if (interrupted > 0) logger.warn({ jobs: interrupted }, 'admin jobs interrupted: the processes running them stopped');
  const app = createApp({
    plans: createPlanService({ log, now: () => new Date() }),
    audit: createPlanAudit({ log }),
    changes: createChangeFeed({ partitions: partitionLog, log, positionTimes: STREAM_POSITION_TIMES }),
    directory: new RedisPlanDirectory(redis, config.keyPrefix),
    search: new ElasticPlanSearch(es, config.esAlias, {
      currentVersions: async (plans) => (await log.versions(plans)).map((version) => version || null),
      temporalAlias: indexOf.asof,
      versionsAt: (plans, at) => Promise.all(plans.map(async (plan) => (await log.versionAt(plan, at)) || null)),
    }),
    consistency: createConsistencyGate({
      checkpoint: (partition, projection) => searchStates[projection].checkpoint(partition),
      refresh: async (projection) => {
        await es.indices.refresh({ index: indexOf[projection] });
      },
      partitions: config.partitions,
    }),
    logger,
    metrics,
    requestTimeoutMs: config.requestTimeoutMs,
    admin: admin.admin,
    limits: {
      maxJsonDepth: config.maxJsonDepth,
      maxBodyBytes: config.maxBodyBytes,
      maxArrayLength: config.maxArrayLength,
      maxPatchOperations: config.maxPatchOperations,
      maxQueryLength: config.maxQueryLength,
    },
    console: {
      dir: config.consoleDir || fileURLToPath(new URL('../../console/dist/', import.meta.url)),
      config: { issuer: config.oidcIssuer, clientId: config.consoleClientId, scope: 'plans:read plans:write audit:read admin' },
    },
    readinessDetails: async () => {
      const report = await lag();
      const brief = ({ entries, maxMs }: { entries: number; maxMs: number }) => ({ entries, oldestMs: maxMs });
      return { lag: { relay: brief(report.relay), ...Object.fromEntries(Object.entries(report.projections).map(([name, summary]) => [name, brief(summary)])) }, partitions: report.partitions };
    },
    authenticate: bearerAuth({
      resolveKey: createKeyResolver({
        issuer: config.oidcIssuer,
        ...(config.oidcJwksUri ? { jwksUri: config.oidcJwksUri } : {}),
        algorithms: list(config.oidcAlgorithms),
        tokenTypes: list(config.oidcTokenTypes),
      }),
      issuer: config.oidcIssuer,
      audience: config.oidcAudience,
      algorithms: list(config.oidcAlgorithms),
      clockToleranceSec: config.oidcClockTolerance,
      notBeforeToleranceSec: config.oidcNotBeforeTolerance,
      claims: { scopeClaim: config.oidcScopeClaim, orgClaim: config.oidcOrgClaim, grants: parseScopeGrants(config.oidcScopeGrants) },
      tokenCache: { maxEntries: config.oidcTokenCacheSize, maxAgeSec: config.oidcTokenCacheMaxAge },
    }),
    oauthEndpoints: discoverOAuthEndpoints({ issuer: config.oidcIssuer }),
    readiness: {
      redis: async () => {
        await redis.ping();
      },
      elasticsearch: async () => {
        await es.ping();
      },
    },
  });

  const server = app.listen(config.port, config.host, () => {
    logger.info({ url: `http://${config.host}:${config.port}` }, 'api listening');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await admin.close();
      redis.disconnect();
      await es.close();
      await adminEs.close();
    },
  };
}

const workers = workerCount(config.apiWorkers);
if (workers > 1 && cluster.isPrimary) await runProcess({ name: 'api', logger, start: () => startWorkerPool({ workers, logger }) });
else await runProcess({ name: 'api', logger, start, ...(cluster.isWorker ? { onSignal: workerSignals } : {}) });
