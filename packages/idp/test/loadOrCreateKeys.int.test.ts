import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import test from 'ava';

import { IdpConfigError } from '../src/idpConfigError.js';
import { loadOrCreateKeys } from '../src/loadOrCreateKeys.js';
import { startTestIdp } from './startTestIdp.js';

async function jwksKid(issuer: string): Promise<string | undefined> {
  const response = await fetch(`${issuer}/jwks`);
  const { keys } = (await response.json()) as { keys: Array<{ kid?: string }> };
  return keys[0]?.kid;
}

test('signing keys › survive a restart: the second start publishes the same kid', async (t) => {
  const dataDir = join(await mkdtemp(join(tmpdir(), 'planledger-idp-')), 'nested', 'idp');
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));

  const first = await startTestIdp({ dataDir });
  const firstKid = await jwksKid(first.idp.issuer);
  await first.stop();
  const second = await startTestIdp({ dataDir });
  const secondKid = await jwksKid(second.idp.issuer);
  await second.stop();

  t.is(typeof firstKid, 'string');
  t.is(secondKid, firstKid);
});

test('loadOrCreateKeys › creates private 0600 files once and reports whether it generated', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'planledger-idp-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));

  const created = await loadOrCreateKeys({ dir });
  const loaded = await loadOrCreateKeys({ dir });

  t.true(created.created);
  t.false(loaded.created);
  t.deepEqual(loaded.jwks, created.jwks);
  t.deepEqual(loaded.cookieKeys, created.cookieKeys);
  t.like(created.jwks.keys[0], { kty: 'RSA', use: 'sig', alg: 'RS256' });
  for (const file of ['jwks.json', 'cookies.json']) {
    t.is((await stat(join(dir, file))).mode & 0o777, 0o600, file);
  }
});

test('loadOrCreateKeys racing itself › every caller gets the same key', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'planledger-idp-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));

  const results = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateKeys({ dir })));
  const stored = JSON.parse(await readFile(join(dir, 'jwks.json'), 'utf8')) as { keys: Array<{ kid: string }> };

  t.deepEqual(new Set(results.map((result) => result.jwks.keys[0]?.kid)), new Set([stored.keys[0]?.kid]));
});

test('loadOrCreateKeys with a damaged jwks.json › refuses instead of replacing it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'planledger-idp-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await loadOrCreateKeys({ dir });
  await writeFile(join(dir, 'jwks.json'), '{"keys":[]}');

  await t.throwsAsync(loadOrCreateKeys({ dir }), { instanceOf: IdpConfigError, message: /jwks\.json/ });
});
