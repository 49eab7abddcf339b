import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  createIdentityProvider,
  type IdentityProvider,
  type IdentityProviderOptions,
} from './createIdentityProvider.js';
import { issuerFor } from './issuerFor.js';

export interface StartIdentityProviderOptions extends Omit<IdentityProviderOptions, 'issuer'> {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Defaults to `http://<host>:<bound port>` (loopback for a wildcard host). */
  readonly issuer?: string | undefined;
}

export interface RunningIdentityProvider extends IdentityProvider {
  readonly server: Server;
  /** The port actually bound. */
  readonly port: number;
  /** Stops accepting connections and resolves once open requests are answered. */
  close(): Promise<void>;
}

/** Binds an HTTP server, then serves an identity provider whose issuer matches the bound port. */
export async function startIdentityProvider(options: StartIdentityProviderOptions): Promise<RunningIdentityProvider> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const issuer = options.issuer ?? issuerFor({ host: options.host, port });
  let idp: IdentityProvider;
  try {
    idp = createIdentityProvider({ ...options, issuer });
  } catch (error) {
    server.close();
    throw error;
  }
  // Attached in the same tick as the listen callback, so no request arrives before it.
  server.on('request', idp.callback);
  return {
    ...idp,
    server,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
