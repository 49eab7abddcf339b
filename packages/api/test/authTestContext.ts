import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPlanAudit, createPlanService, InMemoryEventLog, InMemoryPlanDirectory, silentLogger, type EventLog, type PlanDirectory } from '@planledger/core';
import { fetchToken } from '@planledger/idp';
import { createApp } from '../src/app.js';
import { createKeyResolver } from '../src/auth/createKeyResolver.js';
import { DEFAULT_CLAIM_MAPPING } from '../src/auth/principalFromClaims.js';
import { bearerAuth } from '../src/middleware/bearerAuth.js';

export const AUDIENCE = 'planledger-api';

/** The api over an event log (in-memory unless given), secured against a real issuer, on a free port. */
export async function startSecuredApi(issuer: string, log: EventLog = new InMemoryEventLog(), directory: PlanDirectory = new InMemoryPlanDirectory()): Promise<{ baseUrl: string; server: Server }> {
  const app = createApp({
    plans: createPlanService({ log, now: () => new Date() }),
    audit: createPlanAudit({ log }),
    directory,
    logger: silentLogger,
    readiness: {},
    authenticate: bearerAuth({
      resolveKey: createKeyResolver({ issuer, algorithms: ['RS256', 'ES256'], tokenTypes: ['at+jwt'] }),
      issuer,
      audience: AUDIENCE,
      algorithms: ['RS256', 'ES256'],
      clockToleranceSec: 5,
      claims: DEFAULT_CLAIM_MAPPING,
    }),
  });
  const server = createServer(app.callback()).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A token from the real identity provider, the way a client gets one. */
export function devToken(issuer: string, client: string, scope?: string): Promise<string> {
  return fetchToken({ issuer, clientId: client, clientSecret: `${client}-secret`, ...(scope ? { scope } : {}) });
}
