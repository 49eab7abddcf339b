import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

import { IdpConfigError } from './idpConfigError.js';
import { readOrCreateFile } from './readOrCreateFile.js';

export interface IdpKeys {
  /** Private signing keys; the provider publishes their public halves at its jwks_uri. */
  readonly jwks: { readonly keys: JWK[] };
  /** Secrets that sign the provider's cookies. */
  readonly cookieKeys: string[];
  /** True when this call generated a new signing key. */
  readonly created: boolean;
}

/**
 * Loads the RS256 signing key set and the cookie keys from `dir` (`jwks.json`, `cookies.json`),
 * generating and storing them (mode 0600) on first use.
 */
export async function loadOrCreateKeys(options: { dir: string }): Promise<IdpKeys> {
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const jwksPath = join(options.dir, 'jwks.json');
  const cookiesPath = join(options.dir, 'cookies.json');
  const signing = await readOrCreateFile(jwksPath, async () => JSON.stringify({ keys: [await newSigningKey()] }));
  const cookies = await readOrCreateFile(cookiesPath, async () => JSON.stringify([randomBytes(32).toString('hex')]));
  return {
    jwks: { keys: parseSigningKeys(signing.content, jwksPath) },
    cookieKeys: parseCookieKeys(cookies.content, cookiesPath),
    created: signing.created,
  };
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, use: 'sig', alg: 'RS256' };
}

function parseSigningKeys(text: string, path: string): JWK[] {
  const keys = (parseJson(text, path) as { keys?: unknown } | null)?.keys;
  const valid =
    Array.isArray(keys) &&
    keys.length > 0 &&
    keys.every((key: JWK) => key?.kty === 'RSA' && typeof key.kid === 'string' && typeof key.d === 'string');
  if (!valid) throw new IdpConfigError(`${path} must hold { keys: [private RSA JWK with kid, …] }`);
  return keys as JWK[];
}

function parseCookieKeys(text: string, path: string): string[] {
  const keys = parseJson(text, path);
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => typeof key === 'string' && key !== '')) {
    throw new IdpConfigError(`${path} must hold a non-empty array of strings`);
  }
  return keys as string[];
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new IdpConfigError(`${path} is not valid JSON`);
  }
}
