import test from 'ava';

import { devClients } from './devClients.js';
import { IdpConfigError } from './idpConfigError.js';
import { resolveClients } from './resolveClients.js';

const fileClients = JSON.stringify([{ client_id: 'svc', client_secret: 'x', scope: 'plans:read', org: 'acme.test' }]);

test('resolveClients in development › serves the dev clients', async (t) => {
  t.deepEqual(await resolveClients({ nodeEnv: undefined, clientsFile: undefined }), [...devClients]);
  t.deepEqual(await resolveClients({ nodeEnv: 'development', clientsFile: '' }), [...devClients]);
});

test('resolveClients in production without a clients file › refuses the dev clients', async (t) => {
  await t.throwsAsync(resolveClients({ nodeEnv: 'production', clientsFile: undefined }), {
    instanceOf: IdpConfigError,
    message: /NODE_ENV=production.*IDP_CLIENTS_FILE/,
  });
});

test('resolveClients with a clients file › serves only the file clients, in any mode', async (t) => {
  const readText = async () => fileClients;
  for (const nodeEnv of ['production', undefined]) {
    const clients = await resolveClients({ nodeEnv, clientsFile: '/etc/idp/clients.json', readText });
    t.deepEqual(clients.map((client) => client.clientId), ['svc']);
  }
});

test('resolveClients with an unreadable clients file › names the file', async (t) => {
  const readText = async () => {
    throw new Error('ENOENT');
  };
  await t.throwsAsync(resolveClients({ nodeEnv: 'production', clientsFile: '/missing.json', readText }), {
    instanceOf: IdpConfigError,
    message: /\/missing\.json/,
  });
});
