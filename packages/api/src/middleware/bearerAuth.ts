import type { Context, Middleware, Next } from 'koa';
import koaJwt from 'koa-jwt';
import compose from 'koa-compose';
import type { JwtHeader } from '../auth/createKeyResolver.js';
import { principalFromClaims, type ClaimMapping, type Principal } from '../auth/principalFromClaims.js';

/** Longest bearer token accepted; real access tokens are far shorter. */
export const MAX_TOKEN_LENGTH = 8192;
/** RFC 9110 §11.1: the auth scheme is case-insensitive; one or more spaces before the token68. */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

export interface BearerAuthOptions {
  readonly resolveKey: (header: JwtHeader) => Promise<string>;
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms: readonly string[];
  readonly clockToleranceSec: number;
  readonly claims: ClaimMapping;
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
 * by the issuer's key (found by kid through its JWKS), with `iss`, `aud`, `exp` and `nbf` checked
 * within a small clock tolerance. RFC 9068 claims are required: `exp` (a token without it would
 * never expire), `sub`, and the org claim (every caller acts for an org, admins included); an
 * `iat` in the future is refused, and so is any `crit` header (we understand no extensions).
 * Anything else is a 401 before any handler runs. The caller lands in `ctx.state.principal`.
 */
export function bearerAuth({ resolveKey, issuer, audience, algorithms, clockToleranceSec, claims }: BearerAuthOptions): Middleware {
  const verify = koaJwt({
    secret: (header: JwtHeader) => resolveKey(header),
    getToken: bearerToken,
    passthrough: true,
    key: 'claims',
    algorithms: [...algorithms],
    issuer,
    audience,
    clockTolerance: clockToleranceSec,
  } as koaJwt.Options);

  const toPrincipal = async (ctx: Context, next: Next): Promise<void> => {
    const failure = ctx.state.jwtOriginalError as Error | undefined;
    if (failure || !ctx.state.claims) throw new Unauthorized(describe(failure));
    const verified = ctx.state.claims as Record<string, unknown>;
    if (typeof verified.exp !== 'number') throw new Unauthorized('the token has no expiry (exp)');
    if (typeof verified.iat === 'number' && verified.iat > Date.now() / 1000 + clockToleranceSec) throw new Unauthorized('the token is issued in the future (iat)');
    const principal: Principal = principalFromClaims(verified, claims);
    if (!principal.subject) throw new Unauthorized('the token has no subject');
    if (principal.org === null) throw new Unauthorized(`the token names no org (${claims.orgClaim})`);
    ctx.state.principal = principal;
    await next();
  };

  return compose<Context>([verify as Middleware, toPrincipal]) as Middleware;
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
