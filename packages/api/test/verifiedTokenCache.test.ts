import test from 'ava';
import { createVerifiedTokenCache } from '../src/auth/createVerifiedTokenCache.js';

const clock = (start = 1_700_000_000_000) => {
  let ms = start;
  return { now: () => ms, advance: (by: number) => (ms += by), at: (to: number) => (ms = to) };
};

test('verifiedTokenCache › serves a token until its exp and never at or after it', (t) => {
  const time = clock();
  const cache = createVerifiedTokenCache<string>({ now: time.now, maxAgeSec: 3600 });
  const expSec = time.now() / 1000 + 10;
  cache.remember('token', 'principal', expSec);
  time.at(expSec * 1000 - 1);
  t.is(cache.lookup('token'), 'principal');
  time.at(expSec * 1000);
  t.is(cache.lookup('token'), undefined);
  time.at(expSec * 1000 - 1); // a clock stepping back does not revive it: the entry is gone
  t.is(cache.lookup('token'), undefined);
  t.is(cache.size, 0);
});

test('verifiedTokenCache › remembers a token at most maxAgeSec, however far its exp', (t) => {
  const time = clock();
  const cache = createVerifiedTokenCache<string>({ now: time.now, maxAgeSec: 300 });
  cache.remember('token', 'principal', time.now() / 1000 + 86_400);
  time.advance(299_999);
  t.is(cache.lookup('token'), 'principal');
  time.advance(1);
  t.is(cache.lookup('token'), undefined);
});

test('verifiedTokenCache › does not remember a token already expired, or with no finite exp', (t) => {
  const time = clock();
  const cache = createVerifiedTokenCache<string>({ now: time.now });
  cache.remember('expired', 'p', time.now() / 1000);
  cache.remember('past', 'p', time.now() / 1000 - 60);
  cache.remember('nan', 'p', Number.NaN);
  cache.remember('infinite', 'p', Number.POSITIVE_INFINITY);
  t.is(cache.size, 0);
  t.is(cache.lookup('expired'), undefined);
});

test('verifiedTokenCache › holds at most maxEntries, the oldest remembered leaving first', (t) => {
  const time = clock();
  const cache = createVerifiedTokenCache<number>({ now: time.now, maxEntries: 3 });
  const exp = time.now() / 1000 + 60;
  for (let i = 0; i < 5; i += 1) cache.remember(`t${i}`, i, exp);
  t.is(cache.size, 3);
  t.deepEqual([0, 1, 2, 3, 4].map((i) => cache.lookup(`t${i}`)), [undefined, undefined, 2, 3, 4]);
});

test('verifiedTokenCache › maxEntries 0 turns it off', (t) => {
  const cache = createVerifiedTokenCache<string>({ maxEntries: 0 });
  cache.remember('token', 'p', Date.now() / 1000 + 60);
  t.is(cache.lookup('token'), undefined);
});
