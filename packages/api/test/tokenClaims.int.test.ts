import test, { type ExecutionContext } from 'ava';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { importJWK, SignJWT, type JWK, type JWTHeaderParameters, type KeyLike } from 'jose';
import { loadOrCreateKeys } from '@planledger/idp';
import { startTestIdp, type TestIdp } from '../../idp/test/startTestIdp.js';
import { AUDIENCE, devToken, startSecuredApi } from './authTestContext.js';
import { checkedFetch } from './contract/checkedFetch.js';

// Every token here is signed with the identity provider's own key, so only its claims or header are wrong.
let idp: TestIdp;
let api: { baseUrl: string; server: Server };
let signingKey: { kid: string; privateKey: KeyLike | Uint8Array };

test.before(async () => {
  idp = await startTestIdp();
  api = await startSecuredApi(idp.idp.issuer);
  const [jwk] = (await loadOrCreateKeys({ dir: idp.dataDir })).jwks.keys;
  signingKey = { kid: String(jwk?.kid), privateKey: await importJWK(jwk as JWK, 'RS256') };
});
test.after.always(async () => {
  api?.server.close();
  await idp?.stop();
});

const nowSec = () => Math.floor(Date.now() / 1000);
const claims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => {
  const all: Record<string, unknown> = { iss: idp.idp.issuer, aud: AUDIENCE, sub: 'dev-reader', scope: 'plans:read', org: 'example.com', jti: randomUUID(), iat: nowSec(), exp: nowSec() + 300, ...overrides };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
};
const sign = (payload: Record<string, unknown>, header: Partial<JWTHeaderParameters> = {}): Promise<string> =>
  new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: signingKey.kid, typ: 'at+jwt', ...header }).sign(signingKey.privateKey);

const call = (authorization: string) => checkedFetch(`${api.baseUrl}/v1/plans/no-such-plan`, { headers: { authorization } });

async function assertRefused(t: ExecutionContext, token: string, description: RegExp): Promise<void> {
  const response = await call(`Bearer ${token}`);
  t.is(response.status, 401);
  const challenge = response.headers.get('www-authenticate') ?? '';
  t.regex(challenge, /^Bearer realm="planledger", error="invalid_token", error_description="/);
  t.regex(challenge, description);
  t.regex(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
}

test('a correctly signed token with every claim › reaches the handler (404, not 401)', async (t) => {
  t.is((await call(`Bearer ${await sign(claims())}`)).status, 404);
});

test('a token without exp › 401 invalid_token (RFC 9068 makes exp required)', async (t) => assertRefused(t, await sign(claims({ exp: undefined })), /no expiry/));

test('a token issued a day in the future › 401 invalid_token', async (t) => assertRefused(t, await sign(claims({ iat: nowSec() + 86_400, exp: nowSec() + 90_000 })), /issued in the future/));

test('a token issued within the clock tolerance › accepted', async (t) => {
  t.is((await call(`Bearer ${await sign(claims({ iat: nowSec() + 2 }))}`)).status, 404);
});

test('a token with an unknown crit header parameter › 401 invalid_token (RFC 7515 §4.1.11)', async (t) => {
  // jose refuses to sign with crit it does not know unless told the extension exists; the verifier knows none.
  const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: signingKey.kid, typ: 'at+jwt', crit: ['urn:example:unknown'], 'urn:example:unknown': true }).sign(signingKey.privateKey, { crit: { 'urn:example:unknown': true } });
  await assertRefused(t, token, /critical header parameter/);
});

test('a token without the org claim › 401 invalid_token, for readers and admins alike', async (t) => {
  await assertRefused(t, await sign(claims({ org: undefined })), /names no org/);
  await assertRefused(t, await sign(claims({ org: undefined, sub: 'dev-admin', scope: 'plans:read plans:write audit:read admin' })), /names no org/);
  await assertRefused(t, await sign(claims({ org: '' })), /names no org/);
});

test('Authorization scheme › case-insensitive (RFC 9110 §11.1): bearer and BEARER are accepted', async (t) => {
  const token = await devToken(idp.idp.issuer, 'dev-reader');
  for (const scheme of ['bearer', 'BEARER', 'bEaReR']) t.is((await call(`${scheme} ${token}`)).status, 404, scheme);
  t.is((await call(`Bearer  ${token}`)).status, 404, 'several spaces before the token are allowed');
  t.is((await call(`Bearerx ${token}`)).status, 401);
});
