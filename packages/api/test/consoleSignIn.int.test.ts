import test from 'ava';
import { decodeJwt } from 'jose';
import { CONSOLE_CLIENT_ID, signInWithPassword, TokenRequestError } from '@planledger/idp';
import { startTestIdp, type TestIdp } from '../../idp/test/startTestIdp.js';
import { startSecuredApi } from './authTestContext.js';

const REDIRECT_URI = 'http://localhost:3000/console/callback';
const ALL_SCOPES = 'plans:read plans:write audit:read admin';

let idp: TestIdp;
let api: { baseUrl: string; server: import('node:http').Server };

test.before(async () => {
  idp = await startTestIdp();
  api = await startSecuredApi(idp.idp.issuer);
});

test.after.always(async () => {
  api?.server.close();
  await idp?.stop();
});

const signIn = (username: string, password = `${username}-password`) =>
  signInWithPassword({ issuer: idp.idp.issuer, clientId: CONSOLE_CLIENT_ID, redirectUri: REDIRECT_URI, username, password, scope: ALL_SCOPES });

test('console sign-in (code + PKCE) › yields a JWT for the api with the user as subject and the user’s scopes', async (t) => {
  const { accessToken, scope } = await signIn('auditor');
  t.is(scope, 'plans:read audit:read');
  const claims = decodeJwt(accessToken);
  t.like(claims, { sub: 'auditor', org: 'example.com', client_id: CONSOLE_CLIENT_ID, aud: 'planledger-api', scope: 'plans:read audit:read', email: 'auditor@example.com' });
  const response = await fetch(`${api.baseUrl}/v1/plans/none-such`, { headers: { authorization: `Bearer ${accessToken}` } });
  t.is(response.status, 404, 'the api accepted the token and looked for the plan');
});

test('console sign-in › a reader’s token is refused writes (403), as dev-reader’s is', async (t) => {
  const { accessToken } = await signIn('reader');
  const response = await fetch(`${api.baseUrl}/v1/plans`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: '{}' });
  t.is(response.status, 403);
});

test('console sign-in › the other org’s user acts for other.example', async (t) => {
  t.like(decodeJwt((await signIn('other')).accessToken), { sub: 'other', org: 'other.example', scope: 'plans:read plans:write' });
});

test('console sign-in › a wrong password is refused at the login page', async (t) => {
  const error = await t.throwsAsync(signIn('admin', 'not-the-password'), { instanceOf: TokenRequestError });
  t.is(error?.error, 'access_denied');
  await t.throwsAsync(signIn('nobody'), { instanceOf: TokenRequestError });
});

test('console sign-in › the token endpoint allows the console’s origin (CORS), not others', async (t) => {
  const preflight = (origin: string) => fetch(`${idp.idp.issuer}/token`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
  const allowed = await preflight('http://localhost:3000');
  t.is(allowed.headers.get('access-control-allow-origin'), 'http://localhost:3000');
  const token = await fetch(`${idp.idp.issuer}/token`, { method: 'POST', headers: { origin: 'http://evil.example' }, body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', client_id: CONSOLE_CLIENT_ID, redirect_uri: REDIRECT_URI, code_verifier: 'x'.repeat(43) }) });
  t.not(token.headers.get('access-control-allow-origin'), 'http://evil.example');
});
