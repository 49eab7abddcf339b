import { readFile } from 'node:fs/promises';

import type { ClientRegistration } from './clientRegistration.js';
import { devClients } from './devClients.js';
import { IdpConfigError } from './idpConfigError.js';
import { parseClientsFile } from './parseClientsFile.js';

export interface ResolveClientsOptions {
  /** The value of NODE_ENV. */
  readonly nodeEnv: string | undefined;
  /** Path of a clients file; when given, it replaces the development clients. */
  readonly clientsFile: string | undefined;
  readonly readText?: (path: string) => Promise<string>;
}

/**
 * Decides which clients the identity provider serves: the clients file when one is given, else
 * the development clients, which are refused in production.
 */
export async function resolveClients(options: ResolveClientsOptions): Promise<ClientRegistration[]> {
  const { nodeEnv, clientsFile, readText = (path) => readFile(path, 'utf8') } = options;
  if (clientsFile !== undefined && clientsFile !== '') {
    let text: string;
    try {
      text = await readText(clientsFile);
    } catch (error) {
      throw new IdpConfigError(`cannot read IDP_CLIENTS_FILE ${clientsFile}: ${(error as Error).message}`);
    }
    return parseClientsFile(text, clientsFile);
  }
  if (nodeEnv === 'production') {
    throw new IdpConfigError(
      'refusing to serve the development clients with NODE_ENV=production; ' +
        'set IDP_CLIENTS_FILE to a JSON array of { client_id, client_secret, scope, org }',
    );
  }
  return [...devClients];
}
