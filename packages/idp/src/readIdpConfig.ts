import { join } from 'node:path';

import { DEFAULT_CONSOLE_ORIGINS } from './consoleClient.js';
import { IdpConfigError } from './idpConfigError.js';

export interface IdpConfig {
  /** IDP_HOST: interface to bind. Default 127.0.0.1. */
  readonly host: string;
  /** IDP_PORT: port to bind (0 picks a free one). Default 4000. */
  readonly port: number;
  /** IDP_ISSUER: issuer identifier. Default http://<host>:<port>. */
  readonly issuer: string | undefined;
  /** IDP_AUDIENCE: `aud` of the access tokens. Default planledger-api. */
  readonly audience: string;
  /** IDP_TOKEN_TTL: access token lifetime in seconds. Default 3600. */
  readonly tokenTtlSeconds: number;
  /** IDP_DATA_DIR: where the signing and cookie keys are kept. Default <repo>/.data/idp. */
  readonly dataDir: string;
  /** IDP_CLIENTS_FILE: JSON clients file replacing the dev clients. Required when NODE_ENV=production. */
  readonly clientsFile: string | undefined;
  /** IDP_CONSOLE_ORIGINS: comma-separated origins serving the console (its redirect URIs are `<origin>/console/callback`). Default http://localhost:3000,http://127.0.0.1:3000. */
  readonly consoleOrigins: readonly string[];
  /** NODE_ENV. */
  readonly nodeEnv: string | undefined;
  /** LOG_LEVEL: pino level. Default info. */
  readonly logLevel: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the identity provider's settings from an environment. */
export function readIdpConfig(env: Env, options: { repoRoot: string }): IdpConfig {
  return {
    host: text(env, 'IDP_HOST') ?? '127.0.0.1',
    port: integer(env, 'IDP_PORT', 4000, 0, 65_535),
    issuer: text(env, 'IDP_ISSUER'),
    audience: text(env, 'IDP_AUDIENCE') ?? 'planledger-api',
    tokenTtlSeconds: integer(env, 'IDP_TOKEN_TTL', 3600, 1, 86_400),
    dataDir: text(env, 'IDP_DATA_DIR') ?? join(options.repoRoot, '.data', 'idp'),
    clientsFile: text(env, 'IDP_CLIENTS_FILE'),
    consoleOrigins: origins(env, 'IDP_CONSOLE_ORIGINS') ?? DEFAULT_CONSOLE_ORIGINS,
    nodeEnv: text(env, 'NODE_ENV'),
    logLevel: text(env, 'LOG_LEVEL') ?? 'info',
  };
}

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new IdpConfigError(`${name} must be an integer from ${min} to ${max}, not '${value}'`);
  }
  return parsed;
}

function origins(env: Env, name: string): string[] | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  return value.split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    if (!URL.canParse(item) || new URL(item).origin !== item.replace(/\/$/, '')) {
      throw new IdpConfigError(`${name} must list origins like http://localhost:3000, not '${item}'`);
    }
    return new URL(item).origin;
  });
}
