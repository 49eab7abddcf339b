import test from 'ava';
import { DEFAULT_CLAIM_MAPPING, parseScopeGrants, principalFromClaims } from '../src/auth/principalFromClaims.js';

test('principalFromClaims › reads scope and org from an access token', (t) => {
  const principal = principalFromClaims({ sub: 'dev-writer', scope: 'plans:read plans:write', org: 'example.com' }, DEFAULT_CLAIM_MAPPING);
  t.deepEqual({ ...principal, scopes: [...principal.scopes] }, { subject: 'dev-writer', scopes: ['plans:read', 'plans:write'], org: 'example.com' });
});

test('principalFromClaims › maps a Google ID token: org from hd, scopes granted by verified email only', (t) => {
  const mapping = { scopeClaim: 'scope', orgClaim: 'hd', grants: parseScopeGrants('{"alice@example.com":"plans:read audit:read"}') };
  const verified = principalFromClaims({ sub: '1234', email: 'alice@example.com', email_verified: true, hd: 'example.com' }, mapping);
  t.deepEqual([...verified.scopes], ['plans:read', 'audit:read']);
  t.is(verified.org, 'example.com');
  const unverified = principalFromClaims({ sub: '1234', email: 'alice@example.com', email_verified: false, hd: 'example.com' }, mapping);
  t.deepEqual([...unverified.scopes], []);
});

test('principalFromClaims › accepts an array scope claim (scp) and a missing org', (t) => {
  const principal = principalFromClaims({ sub: 's', scp: ['plans:read', 7] }, { ...DEFAULT_CLAIM_MAPPING, scopeClaim: 'scp' });
  t.deepEqual([...principal.scopes], ['plans:read']);
  t.is(principal.org, null);
});

test('parseScopeGrants › refuses anything but an object of strings', (t) => {
  t.throws(() => parseScopeGrants('["plans:read"]'), { message: /OIDC_SCOPE_GRANTS/ });
  t.throws(() => parseScopeGrants('{"a":1}'), { message: /OIDC_SCOPE_GRANTS/ });
  t.is(Object.getPrototypeOf(parseScopeGrants('{"__proto__":"x"}')), null);
});
