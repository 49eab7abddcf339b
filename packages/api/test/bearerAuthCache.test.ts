import type { KeyObject } from 'node:crypto';
import test from 'ava';
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { Context } from 'koa';
import { DEFAULT_CLAIM_MAPPING, type Principal } from '../src/auth/principalFromClaims.js';
import { bearerAuth, Unauthorized } from '../src/middleware/bearerAuth.js';

const ISSUER = 'http://issuer.test';
const AUDIENCE = 'planledger-api';
const { publicKey, privateKey } = await generateKeyPair('RS256');
const nowSec = () => Math.floor(Date.now() / 1000);

const sign = (claims: JWTPayload, typ = 'at+jwt') =>
  new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'dev-writer', org: 'example.com', scope: 'plans:read', iat: nowSec(), exp: nowSec() + 600, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ })
    .sign(privateKey);

/** The middleware with a counting key resolver and a movable cache clock. */
function subject() {
  let resolutions = 0;
  let clockMs = Date.now();
  const middleware = bearerAuth({
    resolveKey: async (header) => {
      resolutions += 1;
      if (header.typ !== 'at+jwt') throw Object.assign(new Error('token type not accepted'), { name: 'TokenRejected' });
      return publicKey as KeyObject;
    },
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['RS256'],
    clockToleranceSec: 5,
    claims: DEFAULT_CLAIM_MAPPING,
    tokenCache: { now: () => clockMs, maxAgeSec: 3600 },
  });
  const call = async (token: string): Promise<Principal> => {
    const ctx = { headers: { authorization: `Bearer ${token}` }, header: { authorization: `Bearer ${token}` }, state: {} } as unknown as Context;
    let reached = false;
    await middleware(ctx, async () => {
      reached = true;
    });
    if (!reached) throw new Error('next was not called');
    return ctx.state.principal as Principal;
  };
  return { call, resolutions: () => resolutions, advance: (ms: number) => (clockMs += ms), setClock: (ms: number) => (clockMs = ms) };
}

test('bearerAuth › verifies a token once, then serves it from the cache', async (t) => {
  const auth = subject();
  const token = await sign({});
  const first = await auth.call(token);
  for (let i = 0; i < 10; i += 1) t.is(await auth.call(token), first);
  t.is(auth.resolutions(), 1);
  t.is(first.org, 'example.com');
  t.deepEqual([...first.scopes], ['plans:read']);
});

test('bearerAuth › verifies a cached token again once its exp is reached', async (t) => {
  const auth = subject();
  const exp = nowSec() + 600;
  const token = await sign({ exp });
  await auth.call(token);
  auth.setClock(exp * 1000 - 1);
  await auth.call(token);
  t.is(auth.resolutions(), 1);
  auth.setClock(exp * 1000);
  await auth.call(token); // a miss: verified again (on the real clock it is still valid)
  t.is(auth.resolutions(), 2);
});

test('bearerAuth › never remembers a refused token: every check runs on every attempt', async (t) => {
  const auth = subject();
  const refused = [
    await sign({ aud: 'someone-else' }),
    await sign({ iss: 'http://other.test' }),
    await sign({ exp: undefined }),
    await sign({ exp: nowSec() - 60 }),
    await sign({ nbf: nowSec() + 600 }),
    await sign({ iat: nowSec() + 600 }),
    await sign({ org: undefined }),
    await sign({ sub: undefined }),
    await sign({}, 'JWT'),
  ];
  for (const token of refused) {
    for (let attempt = 0; attempt < 2; attempt += 1) await t.throwsAsync(auth.call(token), { instanceOf: Unauthorized });
  }
  t.is(auth.resolutions(), refused.length * 2);
});

test('bearerAuth › a token differing in one character is a miss, and refused', async (t) => {
  const auth = subject();
  const token = await sign({});
  await auth.call(token);
  // The signature's first character (its last carries padding bits a decoder may ignore).
  const at = token.lastIndexOf('.') + 1;
  const altered = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
  await t.throwsAsync(auth.call(altered), { instanceOf: Unauthorized });
  t.is(auth.resolutions(), 2);
});

test('bearerAuth › checks the Authorization header before the cache', async (t) => {
  const auth = subject();
  const token = await sign({});
  await auth.call(token);
  await t.throwsAsync(auth.call(`${token} extra`), { instanceOf: Unauthorized, message: /Bearer <token>/ });
});
