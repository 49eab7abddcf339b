import test from 'ava';

import { decideScope } from './decideScope.js';

const allowed = 'plans:read plans:write';

test('decideScope without a requested scope › grants every allowed scope', (t) => {
  t.deepEqual(decideScope({ requested: undefined, allowed }), { granted: 'plans:read plans:write' });
  t.deepEqual(decideScope({ requested: '', allowed }), { granted: 'plans:read plans:write' });
});

test('decideScope with allowed scopes › grants exactly those, once each', (t) => {
  t.deepEqual(decideScope({ requested: 'plans:write plans:write', allowed }), { granted: 'plans:write' });
});

test('decideScope with a scope the client lacks › names it', (t) => {
  t.deepEqual(decideScope({ requested: 'plans:read admin', allowed }), { notAllowed: 'admin' });
});
