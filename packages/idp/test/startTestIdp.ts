import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { pino } from 'pino';

import { DEFAULT_CONSOLE_ORIGINS } from '../src/consoleClient.js';
import { devClients } from '../src/devClients.js';
import { devUsers } from '../src/devUsers.js';
import { loadOrCreateKeys } from '../src/loadOrCreateKeys.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../src/startIdentityProvider.js';

export interface TestIdp {
  readonly idp: RunningIdentityProvider;
  readonly dataDir: string;
  /** Closes the server and, unless the data dir was given, removes it. */
  stop(): Promise<void>;
}

/** A real identity provider on a free loopback port with the dev clients, dev users and console client, and keys in a temp dir. */
export async function startTestIdp(options: { dataDir?: string; consoleOrigins?: readonly string[]; tokenTtlSeconds?: number } = {}): Promise<TestIdp> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'planledger-idp-')));
  const keys = await loadOrCreateKeys({ dir: dataDir });
  const idp = await startIdentityProvider({
    host: '127.0.0.1',
    port: 0,
    audience: 'planledger-api',
    clients: devClients,
    users: devUsers,
    consoleOrigins: options.consoleOrigins ?? DEFAULT_CONSOLE_ORIGINS,
    keys,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    logger: pino({ level: 'silent' }),
  });
  return {
    idp,
    dataDir,
    async stop() {
      await idp.close();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
