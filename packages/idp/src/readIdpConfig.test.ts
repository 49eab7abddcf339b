import test from 'ava';

import { IdpConfigError } from './idpConfigError.js';
import { readIdpConfig } from './readIdpConfig.js';

const repoRoot = '/repo';

test('readIdpConfig with an empty environment › uses the documented defaults', (t) => {
  t.deepEqual(readIdpConfig({}, { repoRoot }), {
    host: '127.0.0.1',
    port: 4000,
    issuer: undefined,
    audience: 'planledger-api',
    tokenTtlSeconds: 3600,
    dataDir: '/repo/.data/idp',
    clientsFile: undefined,
    consoleOrigins: ['http://localhost:3000', 'http://127.0.0.1:3000'],
    nodeEnv: undefined,
    logLevel: 'info',
  });
});

test('readIdpConfig › reads IDP_CONSOLE_ORIGINS as a list of origins and refuses paths', (t) => {
  t.deepEqual(readIdpConfig({ IDP_CONSOLE_ORIGINS: 'https://console.example/, http://127.0.0.1:3100' }, { repoRoot }).consoleOrigins, ['https://console.example', 'http://127.0.0.1:3100']);
  t.throws(() => readIdpConfig({ IDP_CONSOLE_ORIGINS: 'http://localhost:3000/console' }, { repoRoot }), { instanceOf: IdpConfigError, message: /IDP_CONSOLE_ORIGINS/ });
});

test('readIdpConfig › takes every IDP_ setting from the environment', (t) => {
  const env = {
    IDP_HOST: '0.0.0.0',
    IDP_PORT: '4400',
    IDP_ISSUER: 'http://idp.internal:4400',
    IDP_AUDIENCE: 'other-api',
    IDP_TOKEN_TTL: '60',
    IDP_DATA_DIR: '/var/idp',
    IDP_CLIENTS_FILE: '/etc/clients.json',
    NODE_ENV: 'production',
  };
  t.like(readIdpConfig(env, { repoRoot }), {
    host: '0.0.0.0',
    port: 4400,
    issuer: 'http://idp.internal:4400',
    audience: 'other-api',
    tokenTtlSeconds: 60,
    dataDir: '/var/idp',
    clientsFile: '/etc/clients.json',
    nodeEnv: 'production',
  });
});

test('readIdpConfig › rejects ports and lifetimes that are not integers in range', (t) => {
  for (const env of [{ IDP_PORT: 'http' }, { IDP_PORT: '70000' }, { IDP_TOKEN_TTL: '0' }, { IDP_TOKEN_TTL: '1.5' }]) {
    t.throws(() => readIdpConfig(env, { repoRoot }), { instanceOf: IdpConfigError }, JSON.stringify(env));
  }
});
