import type { KeyObject } from 'node:crypto';
import test from 'ava';
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { Context } from 'koa';
import { DEFAULT_CLAIM_MAPPING } from '../src/auth/principalFromClaims.js';
import { bearerAuth, Unauthorized } from '../src/middleware/bearerAuth.js';

const ISSUER = 'http://issuer.test';
const AUDIENCE = 'planledger-api';
const { publicKey, privateKey } = await generateKeyPair('RS256');
/** The issuer's clock runs two minutes ahead of the api's (the api's is behind). */
const SKEW_SEC = 120;
const issuerNowSec = () => Math.floor(Date.now() / 1000) + SKEW_SEC;

/** A token as the issuer makes it, by its own clock: issued and valid from its now. */
const issue = (claims: JWTPayload = {}) =>
  new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'dev-writer', org: 'example.com', scope: 'plans:read', iat: issuerNowSec(), nbf: issuerNowSec(), exp: issuerNowSec() + 600, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' })
    .sign(privateKey);

const verifier = (tolerances: { clockToleranceSec: number; notBeforeToleranceSec?: number }) => {
  const middleware = bearerAuth({
    resolveKey: async () => publicKey as KeyObject,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['RS256'],
    ...tolerances,
    claims: DEFAULT_CLAIM_MAPPING,
    tokenCache: { maxEntries: 0 },
  });
  return async (token: string) => {
    const ctx = { headers: { authorization: `Bearer ${token}` }, header: { authorization: `Bearer ${token}` }, state: {} } as unknown as Context;
    await middleware(ctx, async () => undefined);
    return ctx.state.principal as { subject: string };
  };
};

test('bearerAuth, api clock two minutes behind the issuer › a fresh token (iat and nbf in the api\'s future) is accepted within the not-before tolerance', async (t) => {
  const verify = verifier({ clockToleranceSec: 5, notBeforeToleranceSec: 300 });
  t.is((await verify(await issue())).subject, 'dev-writer');
});

test('bearerAuth, api clock two minutes behind the issuer › with only the exp tolerance the same token is refused (iat/nbf in the future)', async (t) => {
  const verify = verifier({ clockToleranceSec: 5 });
  await t.throwsAsync(verify(await issue({ nbf: undefined })), { instanceOf: Unauthorized, message: /issued in the future/ });
  await t.throwsAsync(verify(await issue()), { instanceOf: Unauthorized, message: /not valid yet/ });
});

test('bearerAuth › the not-before tolerance never lengthens a token\'s life: an expired token stays refused past the exp tolerance', async (t) => {
  const verify = verifier({ clockToleranceSec: 5, notBeforeToleranceSec: 300 });
  const nowSec = Math.floor(Date.now() / 1000);
  await t.throwsAsync(verify(await issue({ iat: nowSec - 700, nbf: nowSec - 700, exp: nowSec - 60 })), { instanceOf: Unauthorized, message: /expired/ });
});

test('bearerAuth › a token whose nbf lies past the not-before tolerance is refused, and a malformed nbf is refused', async (t) => {
  const verify = verifier({ clockToleranceSec: 5, notBeforeToleranceSec: 300 });
  const nowSec = Math.floor(Date.now() / 1000);
  await t.throwsAsync(verify(await issue({ iat: nowSec, nbf: nowSec + 400 })), { instanceOf: Unauthorized, message: /not valid yet/ });
  await t.throwsAsync(verify(await issue({ iat: nowSec, nbf: 'soon' as unknown as number })), { instanceOf: Unauthorized });
});
