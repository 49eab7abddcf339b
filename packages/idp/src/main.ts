#!/usr/bin/env node
import { fileURLToPath } from 'node:url';

import { pino } from 'pino';

import { IdpConfigError } from './idpConfigError.js';
import { loadOrCreateKeys } from './loadOrCreateKeys.js';
import { readIdpConfig } from './readIdpConfig.js';
import { resolveClients } from './resolveClients.js';
import { startIdentityProvider } from './startIdentityProvider.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

async function main(): Promise<void> {
  const config = readIdpConfig(process.env, { repoRoot });
  const logger = pino({ name: 'idp', level: config.logLevel });
  const clients = await resolveClients({ nodeEnv: config.nodeEnv, clientsFile: config.clientsFile });
  const keys = await loadOrCreateKeys({ dir: config.dataDir });
  if (keys.created) logger.info({ dir: config.dataDir }, 'generated a new RS256 signing key');

  const idp = await startIdentityProvider({ ...config, clients, keys, logger });
  const clientIds = clients.map((client) => client.clientId);
  const startupMs = Math.round(process.uptime() * 1000);
  const { issuer } = idp;
  logger.info({ issuer, audience: config.audience, clients: clientIds, startupMs }, `idp listening at ${issuer}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'idp stopping');
    idp.close().then(
      () => logger.info('idp stopped'),
      (error: unknown) => {
        logger.error({ err: error }, 'idp did not stop cleanly');
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function describe(error: unknown): string {
  if (error instanceof IdpConfigError) return error.message;
  const { code, message, stack } = error as NodeJS.ErrnoException;
  if (code === 'EADDRINUSE') return `${message} (is another idp running? set IDP_PORT to use another port)`;
  return stack ?? String(error);
}

main().catch((error: unknown) => {
  process.stderr.write(`idp: cannot start: ${describe(error)}\n`);
  process.exit(1);
});
