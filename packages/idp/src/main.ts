#!/usr/bin/env node
import { fileURLToPath } from 'node:url';

import { pino } from 'pino';
import { runProcess, type RunningProcess } from '@planledger/core';

import { devUsers } from './devUsers.js';
import { IdpConfigError } from './idpConfigError.js';
import { loadOrCreateKeys } from './loadOrCreateKeys.js';
import { readIdpConfig } from './readIdpConfig.js';
import { resolveClients } from './resolveClients.js';
import { startIdentityProvider } from './startIdentityProvider.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Reads the config, loads or creates the signing key, and listens; the runner stops it on SIGINT or SIGTERM. */
async function start(): Promise<RunningProcess> {
  const config = readIdpConfig(process.env, { repoRoot });
  const logger = pino({ name: 'idp', level: config.logLevel });
  const clients = await resolveClients({ nodeEnv: config.nodeEnv, clientsFile: config.clientsFile });
  const keys = await loadOrCreateKeys({ dir: config.dataDir });
  if (keys.created) logger.info({ dir: config.dataDir }, 'generated a new RS256 signing key');

  // The development users and the console's client come with the development clients only.
  const dev = config.clientsFile === undefined;
  const idp = await startIdentityProvider({ ...config, clients, keys, logger, ...(dev ? { users: devUsers, consoleOrigins: config.consoleOrigins } : {}) });
  const clientIds = clients.map((client) => client.clientId);
  const startupMs = Math.round(process.uptime() * 1000);
  const { issuer } = idp;
  logger.info({ issuer, audience: config.audience, clients: clientIds, startupMs }, `idp listening at ${issuer}`);
  return { logger, stop: () => idp.close() };
}

function describe(error: unknown): string {
  if (error instanceof IdpConfigError) return error.message;
  const { code, message, stack } = error as NodeJS.ErrnoException;
  if (code === 'EADDRINUSE') return `${message} (is another idp running? set IDP_PORT to use another port)`;
  return stack ?? String(error);
}

await runProcess({ name: 'idp', start, reportFailure: (error) => process.stderr.write(`idp: cannot start: ${describe(error)}\n`) });
