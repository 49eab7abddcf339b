import test from 'ava';
import fc from 'fast-check';
import { parsePlanKey, planKey } from '../src/index.js';

test('planKey › is both parts percent-encoded as encodeURIComponent does, whatever they hold, and parsePlanKey gives them back', (t) => {
  const part = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('example.com', 'a/b', 'x y', "it's(~*!)", '%2F', 'ünï', ''));
  fc.assert(
    fc.property(part, part, (org, planId) => {
      const key = planKey({ org, planId });
      t.is(key, `${encodeURIComponent(org)}/${encodeURIComponent(planId)}`);
      t.deepEqual(parsePlanKey(key), { org, planId });
    }),
    { numRuns: 2_000 },
  );
});
