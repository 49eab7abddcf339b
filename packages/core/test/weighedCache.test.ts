import test from 'ava';
import { WeighedCache } from '../src/weighedCache.js';

test('WeighedCache › keeps the most recently used within its budget: a read counts as use, the least recently used go first', (t) => {
  const cache = new WeighedCache<string>(10);
  cache.set('a', 'A', 4);
  cache.set('b', 'B', 4);
  t.is(cache.get('a'), 'A');
  cache.set('c', 'C', 4);
  t.is(cache.get('b'), undefined, 'b was used least recently: it went first');
  t.is(cache.get('a'), 'A');
  t.is(cache.get('c'), 'C');
  cache.set('a', 'A2', 9);
  t.is(cache.get('c'), undefined, 'a set again weighs its new weight');
  t.is(cache.get('a'), 'A2');
  cache.delete('a');
  t.is(cache.get('a'), undefined);
  cache.set('big', 'X', 11);
  t.is(cache.get('big'), undefined, 'an entry heavier than the budget is not kept');
  cache.set('d', 'D', 10);
  t.is(cache.get('d'), 'D', 'deleting gave its weight back');
});
