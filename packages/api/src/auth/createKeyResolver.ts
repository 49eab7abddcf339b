import { createPublicKey, type KeyObject } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';

/** What a JWT header says about its signature. */
export interface JwtHeader {
  readonly alg?: string;
  readonly kid?: string;
  readonly typ?: string;
  /** RFC 7515 §4.1.11: extensions the verifier must understand; we understand none. */
  readonly crit?: unknown;
}

export interface KeyResolverOptions {
  /** The issuer; its JWKS is found through OIDC discovery. */
  readonly issuer: string;
  /** Or the JWKS address directly, skipping discovery. */
  readonly jwksUri?: string;
  readonly algorithms: readonly string[];
  /** Accepted `typ` header values, compared case-insensitively (`at+jwt` also matches `application/at+jwt`). */
  readonly tokenTypes: readonly string[];
  /** How long one discovery or JWKS request may take. */
  readonly timeoutMs?: number;
  /** Where signing keys come from (tests); a jwks-rsa client of the issuer's JWKS when omitted. */
  readonly signingKeys?: SigningKeySource;
  /** Turns a PEM into a key object (tests count calls); `crypto.createPublicKey` when omitted. */
  readonly toKeyObject?: (pem: string) => KeyObject;
}

/** The part of a jwks-rsa client the resolver uses. */
export interface SigningKeySource {
  getSigningKey(kid?: string): Promise<{ getPublicKey(): string }>;
}

/** Most key ids whose key objects are kept (an issuer publishes a handful at a time). */
const MAX_KEY_OBJECTS = 16;

export class TokenRejected extends Error {
  override readonly name = 'TokenRejected';
}

/**
 * Finds the public key that should have signed a token. One jwks-rsa client per process, with its
 * cache (keys already seen keep working while the issuer is down) and rate limit (a flood of
 * unknown kids cannot hammer the issuer). The algorithm, `typ` and `crit` are checked before any lookup.
 *
 * The PEM the client answers is turned into a `KeyObject` once per key id, not once per token
 * (the conversion used to be ~40% of the api's busy time). The client is still asked on every
 * call, so its cache lifetime still decides when a key the issuer dropped stops working; a kid
 * whose PEM changed is converted again.
 */
export function createKeyResolver({ issuer, jwksUri, algorithms, tokenTypes, timeoutMs = 3_000, signingKeys, toKeyObject = createPublicKey }: KeyResolverOptions): (header: JwtHeader) => Promise<KeyObject> {
  const types = new Set(tokenTypes.map(normalizeType));
  let client: Promise<SigningKeySource> | null = signingKeys ? Promise.resolve(signingKeys) : null;
  const keyObjects = new Map<string, { readonly pem: string; readonly key: KeyObject }>();

  const keyObjectOf = (kid: string, pem: string): KeyObject => {
    const known = keyObjects.get(kid);
    if (known?.pem === pem) return known.key;
    const key = toKeyObject(pem);
    keyObjects.delete(kid);
    if (keyObjects.size >= MAX_KEY_OBJECTS) keyObjects.delete(keyObjects.keys().next().value as string);
    keyObjects.set(kid, { pem, key });
    return key;
  };

  const jwksClient = (): Promise<SigningKeySource> => {
    client ??= discoverJwksUri(issuer, jwksUri, timeoutMs).then(
      (uri) => new JwksClient({ jwksUri: uri, cache: true, cacheMaxEntries: 16, cacheMaxAge: 10 * 60_000, rateLimit: true, jwksRequestsPerMinute: 10, timeout: timeoutMs }),
      (error: unknown) => {
        client = null; // try discovery again on the next token
        throw error;
      },
    );
    return client;
  };

  return async (header) => {
    if (!header.alg || !algorithms.includes(header.alg)) throw new TokenRejected(`algorithm ${header.alg ?? 'none'} is not accepted`);
    if (!types.has(normalizeType(header.typ ?? ''))) throw new TokenRejected(`token type ${header.typ ?? '(none)'} is not accepted`);
    if (header.crit !== undefined) throw new TokenRejected('the token has a critical header parameter (crit) this api does not understand');
    const key = await (await jwksClient()).getSigningKey(header.kid);
    return keyObjectOf(header.kid ?? '', key.getPublicKey());
  };
}

function normalizeType(type: string): string {
  return type.toLowerCase().replace(/^application\//, '');
}

async function discoverJwksUri(issuer: string, jwksUri: string | undefined, timeoutMs: number): Promise<string> {
  if (jwksUri) return jwksUri;
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`OIDC discovery at ${issuer} answered ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: unknown; issuer?: unknown };
  if (document.issuer !== issuer) throw new Error(`OIDC discovery names issuer ${String(document.issuer)}, expected ${issuer}`);
  if (typeof document.jwks_uri !== 'string') throw new Error(`OIDC discovery at ${issuer} has no jwks_uri`);
  return document.jwks_uri;
}
