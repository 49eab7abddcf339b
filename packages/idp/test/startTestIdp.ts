import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { pino } from 'pino';

import { devClients } from '../src/devClients.js';
import { loadOrCreateKeys } from '../src/loadOrCreateKeys.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../src/startIdentityProvider.js';

export interface TestIdp {
  readonly idp: RunningIdentityProvider;
  readonly dataDir: string;
  /** Closes the server and, unless the data dir was given, removes it. */
  stop(): Promise<void>;
}

/** A real identity provider on a free loopback port with the dev clients and keys in a temp dir. */
export async function startTestIdp(options: { dataDir?: string } = {}): Promise<TestIdp> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'planledger-idp-')));
  const keys = await loadOrCreateKeys({ dir: dataDir });
  const idp = await startIdentityProvider({
    host: '127.0.0.1',
    port: 0,
    audience: 'planledger-api',
    clients: devClients,
    keys,
    tokenTtlSeconds: 3600,
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
