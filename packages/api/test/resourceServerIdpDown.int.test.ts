import test from 'ava';
import { generateKeyPair, SignJWT } from 'jose';
import { startTestIdp } from '../../idp/test/startTestIdp.js';
import { AUDIENCE, devToken, startSecuredApi } from './authTestContext.js';
import { checkedFetch } from './contract/checkedFetch.js';

test('identity provider down › cached keys still verify; an unknown kid fails fast with 401', async (t) => {
  const idp = await startTestIdp();
  const issuer = idp.idp.issuer;
  const api = await startSecuredApi(issuer);
  t.teardown(() => api.server.close());
  const read = (token: string) => checkedFetch(`${api.baseUrl}/v1/plans/anything`, { headers: { authorization: `Bearer ${token}` } });

  const token = await devToken(issuer, 'dev-reader');
  t.is((await read(token)).status, 404, 'key fetched and cached while the idp is up');
  await idp.stop();
  t.is((await read(token)).status, 404, 'the cached key verifies with the idp down');

  const { privateKey } = await generateKeyPair('RS256');
  const now = Math.floor(Date.now() / 1000);
  const stranger = await new SignJWT({ iss: issuer, aud: AUDIENCE, sub: 'x', scope: 'plans:read', iat: now, exp: now + 60 })
    .setProtectedHeader({ alg: 'RS256', kid: 'rotated-kid', typ: 'at+jwt' })
    .sign(privateKey);
  const started = Date.now();
  const refused = await read(stranger);
  const elapsed = Date.now() - started;
  t.is(refused.status, 401);
  t.regex(refused.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  t.log(`unknown kid with the idp down answered in ${elapsed} ms`);
});
