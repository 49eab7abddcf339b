import test from 'ava';

import { IdpConfigError } from './idpConfigError.js';
import { parseClientsFile } from './parseClientsFile.js';

const client = { client_id: 'billing', client_secret: 's3cret', scope: 'plans:read  audit:read', org: 'acme.test' };

test('parseClientsFile › maps each entry to a registration', (t) => {
  t.deepEqual(parseClientsFile(JSON.stringify([client])), [
    { clientId: 'billing', clientSecret: 's3cret', scope: 'plans:read audit:read', org: 'acme.test' },
  ]);
});

test('parseClientsFile › rejects what is not a non-empty array of complete clients', (t) => {
  const broken = [{ ...client, org: '' }, { ...client, client_secret: 1 }, 'billing'];
  for (const text of ['nope', '{}', '[]', ...broken.map((entry) => JSON.stringify([entry]))]) {
    t.throws(() => parseClientsFile(text), { instanceOf: IdpConfigError }, text);
  }
});

test('parseClientsFile › rejects unknown scopes and repeated client ids', (t) => {
  t.throws(() => parseClientsFile(JSON.stringify([{ ...client, scope: 'plans:delete' }])), { message: /plans:delete/ });
  t.throws(() => parseClientsFile(JSON.stringify([client, client])), { message: /twice/ });
});
