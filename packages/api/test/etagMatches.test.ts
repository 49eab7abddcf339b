import test from 'ava';
import { etagMatches } from '../src/etagMatches.js';

test('etagMatches › matches *, single tags and lists; weak tags only under weak comparison', (t) => {
  t.true(etagMatches('*', '"v3"', { weak: false }));
  t.true(etagMatches('"v3"', '"v3"', { weak: false }));
  t.true(etagMatches('"v1", "v3"', '"v3"', { weak: true }));
  t.true(etagMatches('W/"v3"', '"v3"', { weak: true }));
  t.false(etagMatches('W/"v3"', '"v3"', { weak: false }));
  t.false(etagMatches('"v2"', '"v3"', { weak: true }));
  t.false(etagMatches('', '"v3"', { weak: true }));
});
