import test from 'ava';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

import { startTestIdp, type TestIdp } from './startTestIdp.js';

let testIdp: TestIdp;
let issuer: string;

test.before(async () => {
  testIdp = await startTestIdp();
  issuer = testIdp.idp.issuer;
});

test.after.always(async () => {
  await testIdp?.stop();
});

interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function requestToken(form: Record<string, string>, headers: Record<string, string> = {}): Promise<TokenAnswer> {
  const response = await fetch(`${issuer}/token`, { method: 'POST', body: new URLSearchParams(form), headers });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body, headers: response.headers };
}

function credentials(clientId: string, extra: Record<string, string> = {}): Record<string, string> {
  return { grant_type: 'client_credentials', client_id: clientId, client_secret: `${clientId}-secret`, ...extra };
}

async function discovery(): Promise<Record<string, unknown>> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  return (await response.json()) as Record<string, unknown>;
}

async function verify(token: string) {
  const { jwks_uri: jwksUri } = await discovery();
  const keySet = createRemoteJWKSet(new URL(String(jwksUri)));
  return jwtVerify(token, keySet, { issuer, audience: 'planledger-api', typ: 'at+jwt', algorithms: ['RS256'] });
}

test('discovery › advertises the issuer, a /token endpoint, a jwks_uri and code with PKCE S256', async (t) => {
  const document = await discovery();
  t.is(document['issuer'], issuer);
  t.is(document['token_endpoint'], `${issuer}/token`);
  t.is(document['jwks_uri'], `${issuer}/jwks`);
  t.deepEqual(document['grant_types_supported'], ['authorization_code', 'client_credentials']);
  t.deepEqual(document['token_endpoint_auth_methods_supported'], ['client_secret_basic', 'client_secret_post', 'none']);
  t.deepEqual(document['code_challenge_methods_supported'], ['S256']);
});

test('jwks › publishes a public RSA signing key with a kid', async (t) => {
  const response = await fetch(String((await discovery())['jwks_uri']));
  const { keys } = (await response.json()) as { keys: Array<Record<string, unknown>> };
  t.is(keys.length, 1);
  t.like(keys[0], { kty: 'RSA', use: 'sig', alg: 'RS256' });
  t.is(typeof keys[0]?.['kid'], 'string');
  t.false('d' in (keys[0] ?? {}), 'no private key material');
});

test('client_credentials for dev-writer › answers a Bearer token with its lifetime and scope', async (t) => {
  const { status, body, headers } = await requestToken(credentials('dev-writer', { scope: 'plans:read plans:write' }));
  t.is(status, 200);
  t.like(body, { token_type: 'Bearer', expires_in: 3600, scope: 'plans:read plans:write' });
  t.is(typeof body['access_token'], 'string');
  t.is(headers.get('cache-control'), 'no-store');
});

test('client_credentials for dev-writer › issues an RS256 at+jwt signed by a key in the JWKS', async (t) => {
  const { body } = await requestToken(credentials('dev-writer', { scope: 'plans:read plans:write' }));
  const token = String(body['access_token']);
  const header = decodeProtectedHeader(token);
  t.like(header, { alg: 'RS256', typ: 'at+jwt' });
  const response = await fetch(`${issuer}/jwks`);
  const { keys } = (await response.json()) as { keys: Array<{ kid: string }> };
  t.true(keys.some((key) => key.kid === header.kid));
});

test('client_credentials for dev-writer › token verifies and carries sub, scope, org and standard claims', async (t) => {
  const before = Math.floor(Date.now() / 1000);
  const { body } = await requestToken(credentials('dev-writer', { scope: 'plans:read plans:write' }));
  const { payload } = await verify(String(body['access_token']));
  t.like(payload, {
    iss: issuer,
    aud: 'planledger-api',
    sub: 'dev-writer',
    client_id: 'dev-writer',
    scope: 'plans:read plans:write',
    org: 'example.com',
  });
  t.is(typeof payload.jti, 'string');
  t.true(payload.iat! >= before - 1);
  t.is(payload.exp! - payload.iat!, 3600);
});

test('client_credentials for dev-other › token carries org other.example', async (t) => {
  const { body } = await requestToken(credentials('dev-other', { scope: 'plans:read' }));
  const { payload } = await verify(String(body['access_token']));
  t.like(payload, { sub: 'dev-other', org: 'other.example', scope: 'plans:read' });
});

test('client_credentials without scope › grants every scope the client has', async (t) => {
  const { status, body } = await requestToken(credentials('dev-admin'));
  t.is(status, 200);
  t.is(body['scope'], 'plans:read plans:write audit:read admin');
  const { payload } = await verify(String(body['access_token']));
  t.is(payload['scope'], 'plans:read plans:write audit:read admin');
});

test('client_credentials with client_secret_basic › issues a token', async (t) => {
  const basic = Buffer.from('dev-auditor:dev-auditor-secret').toString('base64');
  const form = { grant_type: 'client_credentials', scope: 'audit:read' };
  const { status, body } = await requestToken(form, { authorization: `Basic ${basic}` });
  t.is(status, 200);
  const { payload } = await verify(String(body['access_token']));
  t.like(payload, { sub: 'dev-auditor', scope: 'audit:read', org: 'example.com' });
});

test('client_credentials with a wrong secret › answers 401 invalid_client', async (t) => {
  const { status, body } = await requestToken({ ...credentials('dev-writer'), client_secret: 'not-the-secret' });
  t.is(status, 401);
  t.is(body['error'], 'invalid_client');
  t.false('access_token' in body);
});

test('client_credentials for an unknown client › answers 401 invalid_client', async (t) => {
  const { status, body } = await requestToken(credentials('dev-nobody'));
  t.is(status, 401);
  t.is(body['error'], 'invalid_client');
});

test('client_credentials asking for a scope the client lacks › answers 400 invalid_scope', async (t) => {
  const { status, body } = await requestToken(credentials('dev-reader', { scope: 'plans:read plans:write' }));
  t.is(status, 400);
  t.like(body, { error: 'invalid_scope', scope: 'plans:write' });
});

test('client_credentials asking for a scope nobody has › answers 400 invalid_scope', async (t) => {
  const { status, body } = await requestToken(credentials('dev-admin', { scope: 'plans:delete' }));
  t.is(status, 400);
  t.is(body['error'], 'invalid_scope');
});

test('client_credentials naming another resource › answers 400 invalid_target', async (t) => {
  const { status, body } = await requestToken(credentials('dev-writer', { resource: 'urn:someone-else' }));
  t.is(status, 400);
  t.is(body['error'], 'invalid_target');
});

test('token endpoint with another grant type › answers 400 unsupported_grant_type', async (t) => {
  const { status, body } = await requestToken({ ...credentials('dev-writer'), grant_type: 'password' });
  t.is(status, 400);
  t.is(body['error'], 'unsupported_grant_type');
});
