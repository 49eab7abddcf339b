import test from 'ava';
import { actorOfPrincipal, DEFAULT_CLAIM_MAPPING, parseScopeGrants, principalFromClaims } from '../src/auth/principalFromClaims.js';

test('principalFromClaims › reads scope and org from an access token; without client_id or azp the client is the subject', (t) => {
  const principal = principalFromClaims({ sub: 'dev-writer', scope: 'plans:read plans:write', org: 'example.com' }, DEFAULT_CLAIM_MAPPING);
  t.deepEqual({ ...principal, scopes: [...principal.scopes] }, { clientId: 'dev-writer', subject: 'dev-writer', scopes: ['plans:read', 'plans:write'], org: 'example.com' });
  t.deepEqual(actorOfPrincipal(principal), { clientId: 'dev-writer', subject: 'dev-writer' });
});

test('principalFromClaims › the client is client_id (RFC 9068), else azp; email and the RFC 8693 act claim are kept', (t) => {
  const claims = { sub: 'alice', client_id: 'claims-app', azp: 'other-app', email: 'alice@example.com', org: 'example.com', act: { sub: 'support-agent-7', client_id: 'helpdesk', act: { sub: 'earlier-actor' } } };
  const principal = principalFromClaims(claims, DEFAULT_CLAIM_MAPPING);
  t.deepEqual(actorOfPrincipal(principal), { clientId: 'claims-app', subject: 'alice', email: 'alice@example.com', act: { sub: 'support-agent-7', client_id: 'helpdesk' } }, 'the current actor only, not the chain');
  t.is(principalFromClaims({ sub: 'alice', azp: 'spa' }, DEFAULT_CLAIM_MAPPING).clientId, 'spa');
  t.is(principalFromClaims({ sub: 'alice', client_id: '', azp: 'spa' }, DEFAULT_CLAIM_MAPPING).clientId, 'spa', 'an empty client_id names no client');
});

test('principalFromClaims › a malformed act claim (not an object, no sub) records no actor; a client_id that is no string is dropped', (t) => {
  for (const act of ['agent', ['agent'], { client_id: 'helpdesk' }, { sub: 7 }, { sub: '' }, null]) {
    t.is(principalFromClaims({ sub: 'alice', act }, DEFAULT_CLAIM_MAPPING).act, undefined, JSON.stringify(act));
  }
  t.deepEqual(principalFromClaims({ sub: 'alice', act: { sub: 'agent', client_id: 42 } }, DEFAULT_CLAIM_MAPPING).act, { sub: 'agent' });
  t.is(principalFromClaims({ sub: 'alice', email: 42 }, DEFAULT_CLAIM_MAPPING).email, undefined);
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
