import test from 'ava';
import { createConsistencyGate } from '../src/consistencyGate.js';

test('consistency gate › visible once the partition checkpoint reaches the token, after a refresh', async (t) => {
  const checkpoints = new Map<number, string>([[3, '1700000000000-4']]);
  let refreshes = 0;
  const gate = createConsistencyGate({ checkpoint: async (p) => checkpoints.get(p) ?? null, refresh: async () => void (refreshes += 1), partitions: 16, pollMs: 5 });
  t.is(await gate('3:1700000000000-4', 100), 'visible');
  t.is(await gate('3:1700000000000-12', 30), 'timeout', 'seq 12 > 4 numerically, though "12" < "4" as text');
  setTimeout(() => checkpoints.set(3, '1700000000001-0'), 20);
  t.is(await gate('3:1700000000000-12', 1000), 'visible');
  t.is(refreshes, 2);
});

test('consistency gate › refuses tokens it did not give out', async (t) => {
  const gate = createConsistencyGate({ checkpoint: async () => null, refresh: async () => undefined, partitions: 16 });
  for (const token of ['', '3', '16:1-0', 'x:1-0', '3:1', '3:1-0-0']) t.is(await gate(token, 10), 'invalid', token);
});
