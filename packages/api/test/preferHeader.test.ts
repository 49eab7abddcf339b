import test from 'ava';
import { prefersMinimal } from '../src/routes/plansRouter.js';

test('prefersMinimal › return=minimal among any preferences, in any case, quoted or with parameters; nothing else', (t) => {
  for (const prefer of ['return=minimal', 'Return=Minimal', 'return="minimal"', 'respond-async, return=minimal', 'return = minimal ; foo=bar', 'wait=10,return=minimal']) t.true(prefersMinimal(prefer), prefer);
  for (const prefer of ['', 'return=representation', 'return', 'minimal', 'return=minimalist', 'x-return=minimal', 'handling=strict']) t.false(prefersMinimal(prefer), prefer);
});
