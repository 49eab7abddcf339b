/** A well-mixed 32-bit hash of a string (FNV-1a, then a murmur finalizer). */
function scoreOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * Which member serves which partition: every member gets ⌊P/N⌋ or ⌈P/N⌉ partitions (members
 * beyond P get none), and, among the assignments that fair, each partition goes to the member
 * that ranks highest for it (rendezvous hashing with bounded load: member–partition pairs are
 * taken best score first while the member has room). A member joining or leaving therefore moves
 * few partitions besides its own share, and every instance that sees the same members computes
 * the same assignment. Returns each member's partitions, ascending.
 */
export function assignPartitions(members: readonly string[], partitions: number): Map<string, number[]> {
  const names = [...new Set(members)].sort();
  const assigned = new Map(names.map((name) => [name, [] as number[]]));
  if (names.length === 0) return assigned;
  const base = Math.floor(partitions / names.length);
  let extra = partitions % names.length;
  const pairs = names.flatMap((name) => Array.from({ length: partitions }, (_, partition) => ({ name, partition, score: scoreOf(`${name}\u0000${partition}`) })));
  pairs.sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.partition - b.partition));
  const owner = new Array<string | undefined>(partitions);
  for (const { name, partition } of pairs) {
    if (owner[partition] !== undefined) continue;
    const mine = assigned.get(name)!;
    if (mine.length < base || (mine.length === base && extra > 0)) {
      if (mine.length === base) extra -= 1;
      owner[partition] = name;
      mine.push(partition);
    }
  }
  for (const mine of assigned.values()) mine.sort((a, b) => a - b);
  return assigned;
}
