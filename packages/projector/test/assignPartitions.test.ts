import test from 'ava';
import { assignPartitions } from '../src/assignPartitions.js';

const names = (n: number, seed = 'host') => Array.from({ length: n }, (_, i) => `${seed}-${i}`);
const ownerOf = (members: readonly string[], partitions: number): string[] => {
  const owners: string[] = [];
  for (const [member, mine] of assignPartitions(members, partitions)) for (const partition of mine) owners[partition] = member;
  return owners;
};

test('assignPartitions › every partition has exactly one member, and each member ⌊P/N⌋ or ⌈P/N⌉ of them', (t) => {
  for (const partitions of [1, 2, 7, 16, 33]) {
    for (let n = 1; n <= 20; n += 1) {
      const share = assignPartitions(names(n), partitions);
      const all = [...share.values()].flat().sort((a, b) => a - b);
      t.deepEqual(all, Array.from({ length: partitions }, (_, p) => p), `P=${partitions} N=${n}: each once`);
      const counts = [...share.values()].map((mine) => mine.length);
      t.true(counts.every((c) => c === Math.floor(partitions / n) || c === Math.ceil(partitions / n)), `P=${partitions} N=${n}: ${counts.join()}`);
    }
  }
});

test('assignPartitions › P not divisible by N: 7 partitions over 3 members are 3, 2 and 2', (t) => {
  t.deepEqual([...assignPartitions(['a', 'b', 'c'], 7).values()].map((mine) => mine.length).sort(), [2, 2, 3]);
});

test('assignPartitions › more members than partitions: each partition one member, the rest none', (t) => {
  const share = assignPartitions(names(5), 2);
  t.deepEqual([...share.values()].map((mine) => mine.length).sort(), [0, 0, 0, 1, 1]);
  t.is(share.size, 5, 'every member is in the answer');
});

test('assignPartitions › the same members in any order, with duplicates, give the same assignment', (t) => {
  const members = ['relay-b', 'relay-c', 'relay-a'];
  t.deepEqual(ownerOf(members, 16), ownerOf(['relay-a', 'relay-c', 'relay-b', 'relay-a'], 16));
  t.deepEqual(assignPartitions([], 16).size, 0);
});

test('assignPartitions › a member joining moves about its own share, far fewer than partition-mod-N would', (t) => {
  const partitions = 16;
  let rendezvous = 0;
  let modulo = 0;
  let ideal = 0;
  let trials = 0;
  for (let seed = 0; seed < 50; seed += 1) {
    for (let n = 1; n < 6; n += 1) {
      const before = names(n + 1, `s${seed}`).slice(0, n);
      const after = names(n + 1, `s${seed}`);
      const moved = (a: string[], b: string[]) => a.filter((owner, p) => owner !== b[p]).length;
      rendezvous += moved(ownerOf(before, partitions), ownerOf(after, partitions));
      const mod = (members: string[]) => Array.from({ length: partitions }, (_, p) => [...members].sort()[p % members.length]!);
      modulo += moved(mod(before), mod(after));
      ideal += Math.floor(partitions / (n + 1));
      trials += 1;
    }
  }
  t.log(`moved per join: ${(rendezvous / trials).toFixed(2)} (ideal ${(ideal / trials).toFixed(2)}, partition mod N ${(modulo / trials).toFixed(2)})`);
  t.true(rendezvous / trials <= ideal / trials + 2, 'within two partitions of the new member’s share on average');
  t.true(rendezvous < modulo);
});
