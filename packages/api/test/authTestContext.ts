import { discoverOAuthEndpoints } from '../src/auth/discoverOAuthEndpoints.js';
import { createServer, type Server } from 'node:http';
import type { Middleware } from 'koa';
import type { AddressInfo } from 'node:net';
import { createChangeFeed, createPlanAudit, createPlanService, InMemoryEventLog, InMemoryPlanDirectory, InMemoryProjectionState, silentLogger, type EventLog, type PartitionLog, type PlanDirectory, type PlanSearch, type PositionTimes } from '@planledger/core';
import { ElasticPlanSearch } from '@planledger/core/elasticsearch';
import { createConsistencyGate } from '../src/consistencyGate.js';
import { connectTestElastic } from '../../core/test/elasticTestContext.js';
import { fetchToken } from '@planledger/idp';
import { createApp } from '../src/app.js';
import type { RequestLimits } from '../src/requestLimits.js';
import { createKeyResolver } from '../src/auth/createKeyResolver.js';
import { DEFAULT_CLAIM_MAPPING } from '../src/auth/principalFromClaims.js';
import { bearerAuth } from '../src/middleware/bearerAuth.js';

export const AUDIENCE = 'planledger-api';

/** The api's resource-server check as main.ts wires it, against a test issuer. */
export function testBearerAuth(issuer: string): Middleware {
  return bearerAuth({
    resolveKey: createKeyResolver({ issuer, algorithms: ['RS256', 'ES256'], tokenTypes: ['at+jwt'] }),
    issuer,
    audience: AUDIENCE,
    algorithms: ['RS256', 'ES256'],
    clockToleranceSec: 5,
    claims: DEFAULT_CLAIM_MAPPING,
  });
}

export interface SecuredApiParts {
  readonly log?: EventLog;
  /** The partition logs behind `log`, for `/v1/changes` (the in-memory log's own when omitted). */
  readonly partitions?: PartitionLog;
  readonly positionTimes?: PositionTimes;
  readonly directory?: PlanDirectory;
  /** Search over an alias of the real Elasticsearch (a fresh alias nothing writes to unless given). */
  readonly search?: PlanSearch;
  /** Transport limits (the defaults when omitted). */
  readonly limits?: Partial<RequestLimits>;
}

/** The api over an event log (in-memory unless given), secured against a real issuer, on a free port. */
export async function startSecuredApi(issuer: string, { log = new InMemoryEventLog(), partitions, positionTimes, directory = new InMemoryPlanDirectory(), search, limits }: SecuredApiParts = {}): Promise<{ baseUrl: string; server: Server }> {
  const es = connectTestElastic();
  const partitionLog = partitions ?? (log instanceof InMemoryEventLog ? log.partitionLog : undefined);
  if (partitionLog === undefined) throw new Error('startSecuredApi: give the partition logs of the event log');
  const searchState = new InMemoryProjectionState();
  const app = createApp({
    plans: createPlanService({ log, now: () => new Date() }),
    audit: createPlanAudit({ log }),
    changes: createChangeFeed({ partitions: partitionLog, log, ...(positionTimes ? { positionTimes } : {}) }),
    directory,
    search: search ?? new ElasticPlanSearch(es, `plans-unused-${Date.now()}`),
    consistency: createConsistencyGate({ checkpoint: (partition) => searchState.checkpoint(partition), refresh: async () => undefined, partitions: 16 }),
    logger: silentLogger,
    readiness: {},
    ...(limits ? { limits } : {}),
    authenticate: testBearerAuth(issuer),
    oauthEndpoints: discoverOAuthEndpoints({ issuer }),
  });
  const server = createServer(app.callback()).listen(0, '127.0.0.1');
  server.on('close', () => void es.close());
  await new Promise((resolve) => server.once('listening', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A token from the real identity provider, the way a client gets one. */
export function devToken(issuer: string, client: string, scope?: string): Promise<string> {
  return fetchToken({ issuer, clientId: client, clientSecret: `${client}-secret`, ...(scope ? { scope } : {}) });
}
