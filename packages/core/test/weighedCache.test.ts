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

test('WeighedCache › agrees with a plain list of (key, weight) in order of use over random reads, writes and deletes', (t) => {
  let seed = 7;
  // mulberry32: the low bits of a plain LCG repeat too soon to mix reads, writes and deletes.
  const random = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) % n;
  };
  const budget = 40;
  const cache = new WeighedCache<number>(budget);
  const model: { key: string; value: number; weight: number }[] = []; // oldest first
  const total = () => model.reduce((sum, entry) => sum + entry.weight, 0);
  for (let step = 0; step < 20_000; step++) {
    const key = `k${random(12)}`;
    const op = random(3);
    const at = model.findIndex((entry) => entry.key === key);
    if (op === 0) {
      const expected = at < 0 ? undefined : model[at]!.value;
      if (at >= 0) model.push(...model.splice(at, 1));
      if (cache.get(key) !== expected) return t.fail(`step ${step}: get ${key}`);
    } else if (op === 1) {
      const weight = random(15);
      if (at >= 0) model.splice(at, 1);
      model.push({ key, value: step, weight });
      while (total() > budget) model.shift();
      cache.set(key, step, weight);
    } else {
      if (at >= 0) model.splice(at, 1);
      cache.delete(key);
    }
  }
  // Everything the model holds is there with its last value, everything it let go is gone.
  for (let k = 0; k < 12; k++) t.is(cache.get(`k${k}`), model.find((entry) => entry.key === `k${k}`)?.value, `k${k}`);
});
