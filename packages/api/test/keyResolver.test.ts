import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import test from 'ava';
import { createKeyResolver, type SigningKeySource } from '../src/auth/createKeyResolver.js';

const pem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** A JWKS twin: a PEM per kid, changeable; counts lookups. */
function jwksOf(keys: Record<string, string>): SigningKeySource & { lookups: number } {
  const source = {
    lookups: 0,
    async getSigningKey(kid?: string) {
      source.lookups += 1;
      const key = keys[kid ?? ''];
      if (key === undefined) throw Object.assign(new Error(`no key ${kid}`), { name: 'SigningKeyNotFoundError' });
      return { getPublicKey: () => key };
    },
  };
  return source;
}

function counting(): { toKeyObject: (pem: string) => KeyObject; conversions: () => number } {
  let conversions = 0;
  return {
    toKeyObject: (value) => {
      conversions += 1;
      return createPublicKey(value);
    },
    conversions: () => conversions,
  };
}

const options = { issuer: 'http://issuer.test', algorithms: ['RS256'], tokenTypes: ['at+jwt'] };
const header = (kid: string) => ({ alg: 'RS256', typ: 'at+jwt', kid });

test('createKeyResolver › converts each key id once, however many tokens name it', async (t) => {
  const keys = { a: pem(), b: pem() };
  const jwks = jwksOf(keys);
  const count = counting();
  const resolve = createKeyResolver({ ...options, signingKeys: jwks, toKeyObject: count.toKeyObject });
  const first = await resolve(header('a'));
  for (let i = 0; i < 50; i += 1) t.is(await resolve(header('a')), first);
  await resolve(header('b'));
  await resolve(header('b'));
  t.is(count.conversions(), 2);
  t.is(first.asymmetricKeyType, 'rsa');
  t.is(jwks.lookups, 53, 'the JWKS client is still asked each time, so its cache decides when a dropped key stops working');
});

test('createKeyResolver › converts again when the PEM behind a key id changes', async (t) => {
  const keys: Record<string, string> = { a: pem() };
  const count = counting();
  const resolve = createKeyResolver({ ...options, signingKeys: jwksOf(keys), toKeyObject: count.toKeyObject });
  const before = await resolve(header('a'));
  keys.a = pem();
  const after = await resolve(header('a'));
  t.not(before, after);
  t.true(after.equals(createPublicKey(keys.a)));
  t.is(count.conversions(), 2);
});

test('createKeyResolver › refuses a bad alg, typ or crit before any lookup or conversion', async (t) => {
  const jwks = jwksOf({ a: pem() });
  const count = counting();
  const resolve = createKeyResolver({ ...options, signingKeys: jwks, toKeyObject: count.toKeyObject });
  await t.throwsAsync(resolve({ ...header('a'), alg: 'HS256' }), { name: 'TokenRejected' });
  await t.throwsAsync(resolve({ ...header('a'), typ: 'JWT' }), { name: 'TokenRejected' });
  await t.throwsAsync(resolve({ ...header('a'), crit: ['exp'] }), { name: 'TokenRejected' });
  await t.throwsAsync(resolve(header('unknown')), { name: 'SigningKeyNotFoundError' });
  t.is(count.conversions(), 0);
  t.is(jwks.lookups, 1);
});
