import test from 'ava';
import { decodeJwt } from 'jose';

import { fetchToken, type FetchTokenOptions } from '../src/fetchToken.js';
import { TokenRequestError } from '../src/tokenRequestError.js';
import { startTestIdp, type TestIdp } from './startTestIdp.js';

let testIdp: TestIdp;

test.before(async () => {
  testIdp = await startTestIdp();
});

test.after.always(async () => {
  await testIdp?.stop();
});

function options(clientId: string, scope?: string): FetchTokenOptions {
  return { issuer: testIdp.idp.issuer, clientId, clientSecret: `${clientId}-secret`, scope };
}

test('fetchToken › returns the access token for the requested scope', async (t) => {
  const token = await fetchToken(options('dev-writer', 'plans:write'));
  t.like(decodeJwt(token), { sub: 'dev-writer', scope: 'plans:write', org: 'example.com' });
});

test('fetchToken without scope › returns a token with every scope of the client', async (t) => {
  const token = await fetchToken({ ...options('dev-auditor'), issuer: `${testIdp.idp.issuer}/` });
  t.is(decodeJwt(token)['scope'], 'plans:read audit:read');
});

test('fetchToken refused › throws a TokenRequestError with the OAuth error and status', async (t) => {
  const error = await t.throwsAsync(
    fetchToken(options('dev-reader', 'admin')),
    { instanceOf: TokenRequestError },
  );
  t.is(error?.error, 'invalid_scope');
  t.is(error?.status, 400);
});

test('fetchToken against a closed port › throws idp_unreachable', async (t) => {
  const closed = await startTestIdp();
  await closed.stop();
  const error = await t.throwsAsync(
    fetchToken({ ...options('dev-reader'), issuer: closed.idp.issuer }),
    { instanceOf: TokenRequestError },
  );
  t.is(error?.error, 'idp_unreachable');
  t.is(error?.status, undefined);
});
