import test from 'ava';
import { createHmac, randomUUID } from 'node:crypto';
import { exportSPKI, generateKeyPair, importJWK, SignJWT, type JWK, type KeyLike } from 'jose';
import { aPlan } from '../../core/test/planMother.js';
import { startTestIdp, type TestIdp } from '../../idp/test/startTestIdp.js';
import { AUDIENCE, devToken, startSecuredApi } from './authTestContext.js';
import { checkedFetch } from './contract/checkedFetch.js';

let idp: TestIdp;
let api: { baseUrl: string; server: import('node:http').Server };
let issuer: string;
let realKey: { kid: string; privateKey: KeyLike | Uint8Array; publicJwk: JWK };

test.before(async () => {
  idp = await startTestIdp();
  issuer = idp.idp.issuer;
  api = await startSecuredApi(issuer);
  const { loadOrCreateKeys } = await import('@planledger/idp');
  const [jwk] = (await loadOrCreateKeys({ dir: idp.dataDir })).jwks.keys;
  const { d, p, q, dp, dq, qi, ...publicJwk } = jwk as JWK;
  void [d, p, q, dp, dq, qi];
  realKey = { kid: String(jwk?.kid), privateKey: await importJWK(jwk as JWK, 'RS256'), publicJwk };
});

test.after.always(async () => {
  api?.server.close();
  await idp?.stop();
});

const nowSec = () => Math.floor(Date.now() / 1000);
const claims = (overrides: Record<string, unknown> = {}) => ({ iss: issuer, aud: AUDIENCE, sub: 'dev-writer', scope: 'plans:read plans:write', org: 'example.com', jti: randomUUID(), iat: nowSec(), exp: nowSec() + 300, ...overrides });

async function sign(payload: Record<string, unknown>, { key = realKey.privateKey, kid = realKey.kid, typ = 'at+jwt' } = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ }).sign(key);
}

const b64 = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

async function call(authorization: string | undefined, path = '/v1/plans/anything', init: RequestInit = {}) {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (authorization !== undefined) headers.authorization = authorization;
  return checkedFetch(`${api.baseUrl}${path}`, { ...init, headers });
}

async function assertRefused(t: import('ava').ExecutionContext, authorization: string | undefined, pattern: RegExp) {
  const response = await call(authorization);
  t.is(response.status, 401);
  t.regex(response.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
  t.regex(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const body = (await response.json()) as { detail: string; stack?: string };
  t.regex(body.detail, pattern);
  t.is(body.stack, undefined);
}

test('a token from the identity provider reaches the handler (404 for an unknown plan, not 401)', async (t) => {
  const response = await call(`Bearer ${await devToken(issuer, 'dev-reader')}`);
  t.is(response.status, 404);
});

test('refused › no Authorization header', (t) => assertRefused(t, undefined, /bearer token is required/));
test('refused › "Bearer" without a token', (t) => assertRefused(t, 'Bearer', /must be "Bearer <token>"/));
test('refused › Basic credentials', (t) => assertRefused(t, `Basic ${b64('dev-writer:dev-writer-secret')}`, /must be "Bearer <token>"/));
test('refused › two tokens', async (t) => {
  const token = await devToken(issuer, 'dev-reader');
  await assertRefused(t, `Bearer ${token} ${token}`, /must be "Bearer <token>"/);
});
test('refused › an oversized token', (t) => assertRefused(t, `Bearer ${'a'.repeat(9000)}`, /too long/));
test('refused › alg none', (t) => assertRefused(t, `Bearer ${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims())}.`, /algorithm none/));
test('refused › HS256 signed with the RSA public key', async (t) => {
  const pem = await exportSPKI((await importJWK(realKey.publicJwk, 'RS256')) as KeyLike);
  const head = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: realKey.kid })}.${b64(claims())}`;
  await assertRefused(t, `Bearer ${head}.${createHmac('sha256', pem).update(head).digest('base64url')}`, /algorithm HS256/);
});
test('refused › an unknown kid', async (t) => {
  const { privateKey } = await generateKeyPair('RS256');
  await assertRefused(t, `Bearer ${await sign(claims(), { key: privateKey, kid: 'no-such-kid' })}`, /unknown key/);
});
test('refused › another key under the real kid', async (t) => {
  const { privateKey } = await generateKeyPair('RS256');
  await assertRefused(t, `Bearer ${await sign(claims(), { key: privateKey })}`, /invalid signature/);
});
test('refused › expired', async (t) => assertRefused(t, `Bearer ${await sign(claims({ iat: nowSec() - 600, exp: nowSec() - 60 }))}`, /expired/));
test('refused › not yet valid', async (t) => assertRefused(t, `Bearer ${await sign(claims({ nbf: nowSec() + 120 }))}`, /not valid yet/));
test('refused › wrong iss', async (t) => assertRefused(t, `Bearer ${await sign(claims({ iss: 'http://127.0.0.1:1/other' }))}`, /issuer invalid/));
test('refused › wrong aud', async (t) => assertRefused(t, `Bearer ${await sign(claims({ aud: 'another-api' }))}`, /audience invalid/));
test('refused › wrong typ', async (t) => assertRefused(t, `Bearer ${await sign(claims(), { typ: 'JWT' })}`, /token type JWT/));
test('refused › a tampered payload', async (t) => {
  const [header, , signature] = (await devToken(issuer, 'dev-reader')).split('.');
  await assertRefused(t, `Bearer ${header}.${b64(claims({ sub: 'dev-reader', scope: 'plans:read plans:write admin' }))}.${signature}`, /invalid signature/);
});
test('refused › garbage that is not a JWT', (t) => assertRefused(t, 'Bearer not.a.jwt', /could not be verified|malformed|invalid/));

test('a valid token without the scope › 403 insufficient_scope naming the scope, nothing written', async (t) => {
  const plan = aPlan();
  const reader = await devToken(issuer, 'dev-reader');
  const response = await call(`Bearer ${reader}`, '/v1/plans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) });
  t.is(response.status, 403);
  t.is(response.headers.get('www-authenticate'), 'Bearer realm="planledger", error="insufficient_scope", scope="plans:write"');
  t.is((await call(`Bearer ${reader}`, `/v1/plans/${plan.objectId}`)).status, 404);
});

test('tenancy › creating for another org is 403; another org reads it as 404; admin crosses orgs', async (t) => {
  const writer = await devToken(issuer, 'dev-writer');
  const other = await devToken(issuer, 'dev-other');
  const admin = await devToken(issuer, 'dev-admin');
  const post = (token: string, body: unknown) => call(`Bearer ${token}`, '/v1/plans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  t.is((await post(other, aPlan({ org: 'example.com' }))).status, 403);
  const plan = aPlan({ org: 'example.com' });
  t.is((await post(writer, plan)).status, 201);
  t.is((await call(`Bearer ${writer}`, `/v1/plans/${plan.objectId}`)).status, 200);
  t.is((await call(`Bearer ${other}`, `/v1/plans/${plan.objectId}`)).status, 404);
  t.is((await call(`Bearer ${admin}`, `/v1/plans/${plan.objectId}`)).status, 200);
  const mixed = aPlan({ org: 'example.com' });
  (mixed.planCostShares as { _org: string })._org = 'other.example';
  const refused = await post(writer, mixed);
  t.is(refused.status, 400);
  t.like(await refused.json(), { violations: [{ pointer: '/planCostShares/_org' }] });
});

test('health and metrics need no token', async (t) => {
  t.is((await call(undefined, '/health/live')).status, 200);
  await call(`Bearer ${await devToken(issuer, 'dev-reader')}`, '/v1/plans/counted');
  const metrics = await call(undefined, '/metrics');
  t.is(metrics.status, 200);
  t.regex(await metrics.text(), /planledger_http_request_duration_seconds_bucket\{.*route="\/v1\/plans\/:id"/);
});
