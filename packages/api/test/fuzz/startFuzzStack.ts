import { discoverOAuthEndpoints } from '../../src/auth/discoverOAuthEndpoints.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChangeFeed, createPlanAudit, createPlanService, InMemoryPlanDirectory, InMemoryProjectionState, silentLogger, type PlanService, type WriteContext } from '@planledger/core';
import { createRedisKeys, RedisEventLog, RedisPartitionLog, STREAM_POSITION_TIMES } from '@planledger/core/redis';
import { ElasticPlanSearch, ensurePlanIndex } from '@planledger/core/elasticsearch';
import { connectTestElastic, deleteAliasIndices } from '../../../core/test/elasticTestContext.js';
import { connectTestRedis, deleteKeys, randomPrefix } from '../../../core/test/redisTestContext.js';
import { startTestIdp } from '../../../idp/test/startTestIdp.js';
import { createApp } from '../../src/app.js';
import { createConsistencyGate, type ConsistencyGate } from '../../src/consistencyGate.js';
import { devToken, testBearerAuth } from '../authTestContext.js';
import { createLogProbe, type LogProbe } from './logProbe.js';
import { createSender, type Sender } from './sendRequest.js';

/** The dev clients the fuzz acts as: `other` is a second tenant (org other.example). */
export const ACTORS = ['writer', 'reader', 'auditor', 'admin', 'other'] as const;
export type Actor = (typeof ACTORS)[number];

export interface FuzzStack {
  readonly sender: Sender;
  /** Access tokens by actor, fetched from the real identity provider. */
  readonly tokens: Readonly<Record<Actor, string>>;
  /** The log as the api sees it, read directly (not over HTTP). */
  readonly probe: LogProbe;
  /** The write side behind the api, for seeding plans without HTTP. */
  readonly plans: PlanService;
  readonly seedContext: WriteContext;
  stop(): Promise<void>;
}

/** The api over the real Redis log (random prefix), secured by the real identity provider, searching a fresh Elasticsearch alias. */
export async function startFuzzStack({ timeoutMs = 5_000, sockets = 64 }: { timeoutMs?: number; sockets?: number } = {}): Promise<FuzzStack> {
  const idp = await startTestIdp();
  const issuer = idp.idp.issuer;
  const redis = connectTestRedis();
  const prefix = randomPrefix('fuzz');
  const keys = createRedisKeys({ prefix, partitions: 4 });
  const log = new RedisEventLog(redis, keys, { snapshotEvery: 10 });
  const es = connectTestElastic();
  const alias = `fuzz-${prefix}`;
  await ensurePlanIndex(es, alias);
  const searchState = new InMemoryProjectionState();
  const plans = createPlanService({ log, now: () => new Date() });
  // Nothing projects into the search index here, so every valid consistency token would wait out
  // the search route's 5 s bound; the real gate with a short wait keeps such cases quick.
  const gate = createConsistencyGate({ checkpoint: (partition) => searchState.checkpoint(partition), refresh: async () => undefined, partitions: 4 });
  const consistency: ConsistencyGate = (token) => gate(token, 100);
  const app = createApp({
    plans,
    audit: createPlanAudit({ log }),
    // One host, one clock: a second of skew lets `/v1/changes?since=<a moment ago>` read only the log's tail.
    changes: createChangeFeed({ partitions: new RedisPartitionLog(redis, keys), log, positionTimes: STREAM_POSITION_TIMES, clockSkewMs: 1_000 }),
    directory: new InMemoryPlanDirectory(),
    search: new ElasticPlanSearch(es, alias),
    consistency,
    logger: silentLogger,
    readiness: {},
    authenticate: testBearerAuth(issuer),
    oauthEndpoints: discoverOAuthEndpoints({ issuer }),
  });
  const server = createServer(app.callback());
  // Longer than the client's idle sockets live, so a reused keep-alive socket is never closed under a request.
  server.keepAliveTimeout = 120_000;
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const sender = createSender(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { timeoutMs, sockets });
  const tokenList = await Promise.all(ACTORS.map((actor) => devToken(issuer, `dev-${actor}`)));
  const tokens = Object.fromEntries(ACTORS.map((actor, i) => [actor, tokenList[i] ?? ''])) as Record<Actor, string>;
  return {
    sender,
    tokens,
    probe: createLogProbe(log),
    plans,
    seedContext: { org: 'example.com', crossOrg: false, actor: { clientId: 'fuzz-seed' }, requestId: 'fuzz-seed' },
    async stop() {
      sender.close();
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await idp.stop();
      await deleteKeys(redis, prefix);
      redis.disconnect();
      await deleteAliasIndices(es, alias);
      await es.close();
    },
  };
}
