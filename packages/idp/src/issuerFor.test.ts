import test from 'ava';

import { issuerFor } from './issuerFor.js';

test('issuerFor › uses the bound host and port', (t) => {
  t.is(issuerFor({ host: '127.0.0.1', port: 4000 }), 'http://127.0.0.1:4000');
  t.is(issuerFor({ host: '::1', port: 4000 }), 'http://[::1]:4000');
});

test('issuerFor a wildcard bind › points at loopback', (t) => {
  t.is(issuerFor({ host: '0.0.0.0', port: 4001 }), 'http://127.0.0.1:4001');
  t.is(issuerFor({ host: '::', port: 4001 }), 'http://127.0.0.1:4001');
});
