import type { KeyObject } from 'node:crypto';
import type { Context, Middleware, Next } from 'koa';
import koaJwt from 'koa-jwt';
import type { JwtHeader } from '../auth/createKeyResolver.js';
import { createVerifiedTokenCache, type VerifiedTokenCacheOptions } from '../auth/createVerifiedTokenCache.js';
import { principalFromClaims, type ClaimMapping, type Principal } from '../auth/principalFromClaims.js';

/** Longest bearer token accepted; real access tokens are far shorter. */
export const MAX_TOKEN_LENGTH = 8192;
/** RFC 9110 §11.1: the auth scheme is case-insensitive; one or more spaces before the token68. */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

export interface BearerAuthOptions {
  readonly resolveKey: (header: JwtHeader) => Promise<KeyObject | string>;
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms: readonly string[];
  /** Seconds a token is still accepted past its `exp` (the api's clock ahead of the issuer's). */
  readonly clockToleranceSec: number;
  /**
   * Seconds a token's `nbf` and `iat` may lie in the api's future (the api's clock behind the
   * issuer's); default: `clockToleranceSec`. Wider than the `exp` tolerance at no cost: it never
   * lengthens a token's life, it only stops a slow clock refusing a token issued just now.
   */
  readonly notBeforeToleranceSec?: number;
  readonly claims: ClaimMapping;
  /** Remembering verified tokens until their `exp` (on by default; `{ maxEntries: 0 }` turns it off). */
  readonly tokenCache?: VerifiedTokenCacheOptions;
}

export class Unauthorized extends Error {
  readonly status = 401;
  readonly expose = true;
  readonly headers: Record<string, string>;

  constructor(description: string) {
    super(description);
    this.headers = { 'WWW-Authenticate': `Bearer realm="planledger", error="invalid_token", error_description="${description.replace(/"/g, "'")}"` };
  }
}

/**
 * An OAuth 2.0 resource server: exactly one `Authorization: Bearer <token>` header, a JWT signed
 * by the issuer's key (found by kid through its JWKS), with `iss`, `aud` and `exp` checked
 * within a small clock tolerance, and `nbf` and `iat` within a wider one (a clock behind the
 * issuer's sees fresh tokens as issued in its future). RFC 9068 claims are required: `exp` (a token without it would
 * never expire), `sub`, and the org claim (every caller acts for an org, admins included); an
 * `iat` in the future is refused, and so is any `crit` header (we understand no extensions).
 * Anything else is a 401 before any handler runs. The caller lands in `ctx.state.principal`.
 *
 * A token that passed every check is remembered by its exact text (see `createVerifiedTokenCache`)
 * until its `exp`, and at most `tokenCache.maxAgeSec` (5 minutes by default, less than the JWKS
 * cache's 10): a client reusing its token is not verified again on every request. A token that
 * fails is never remembered, and any other text is a miss that runs every check. This api knows no
 * revocation list: a JWT access token is good until its `exp` with or without the cache; what the
 * cache adds is that a token verified before its signing key left the JWKS keeps working for up
 * to `maxAgeSec` (bounded by `exp`), where without it the JWKS cache already kept the key up to 10 minutes.
 */
export function bearerAuth({ resolveKey, issuer, audience, algorithms, clockToleranceSec, notBeforeToleranceSec = clockToleranceSec, claims, tokenCache }: BearerAuthOptions): Middleware {
  const verified = createVerifiedTokenCache<Principal>(tokenCache);
  const verify = koaJwt({
    secret: (header: JwtHeader) => resolveKey(header),
    getToken: (ctx: Context) => ctx.state.bearerToken as string,
    passthrough: true,
    key: 'claims',
    algorithms: [...algorithms],
    issuer,
    audience,
    clockTolerance: clockToleranceSec,
    // nbf is checked below, with its own tolerance.
    ignoreNotBefore: true,
  } as koaJwt.Options);

  const checked = async (ctx: Context): Promise<{ principal: Principal; exp: number }> => {
    await (verify as Middleware)(ctx, async () => undefined);
    const failure = ctx.state.jwtOriginalError as Error | undefined;
    if (failure || !ctx.state.claims) throw new Unauthorized(describe(failure));
    const payload = ctx.state.claims as Record<string, unknown>;
    if (typeof payload.exp !== 'number') throw new Unauthorized('the token has no expiry (exp)');
    const latestStart = Date.now() / 1000 + notBeforeToleranceSec;
    if (payload.nbf !== undefined && !(typeof payload.nbf === 'number' && payload.nbf <= latestStart)) throw new Unauthorized(typeof payload.nbf === 'number' ? 'the token is not valid yet' : 'the token: invalid nbf value');
    if (typeof payload.iat === 'number' && payload.iat > latestStart) throw new Unauthorized('the token is issued in the future (iat)');
    const principal: Principal = principalFromClaims(payload, claims);
    if (!principal.subject) throw new Unauthorized('the token has no subject');
    if (principal.org === null) throw new Unauthorized(`the token names no org (${claims.orgClaim})`);
    return { principal, exp: payload.exp };
  };

  return async function authenticate(ctx: Context, next: Next): Promise<void> {
    const token = bearerToken(ctx);
    let principal = verified.lookup(token);
    if (principal === undefined) {
      ctx.state.bearerToken = token;
      const outcome = await checked(ctx);
      verified.remember(token, outcome.principal, outcome.exp);
      principal = outcome.principal;
    }
    ctx.state.principal = principal;
    await next();
  };
}

function bearerToken(ctx: Context): string {
  const header = ctx.headers.authorization;
  if (header === undefined || header === '') throw new Unauthorized('a bearer token is required');
  if (header.length > MAX_TOKEN_LENGTH + 7) throw new Unauthorized('the token is too long');
  const match = BEARER.exec(header);
  if (!match?.[1]) throw new Unauthorized('the Authorization header must be "Bearer <token>"');
  return match[1];
}

/** A short reason a client may see; never a stack or a key. */
function describe(error: Error | undefined): string {
  const name = error?.name ?? '';
  if (name === 'TokenExpiredError') return 'the token has expired';
  if (name === 'NotBeforeError') return 'the token is not valid yet';
  if (name === 'SigningKeyNotFoundError') return 'the token is signed with an unknown key';
  if (name === 'JwksRateLimitError') return 'the token is signed with an unknown key';
  if (name === 'TokenRejected' || name === 'JsonWebTokenError') return error?.message.replace(/^jwt /, 'the token: ') ?? 'invalid token';
  return 'the token could not be verified';
}
