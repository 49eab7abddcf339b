/** Default number of partitions plans hash to. */
export const DEFAULT_PARTITIONS = 16;

/**
 * The partition a plan belongs to: FNV-1a (32 bit) of its objectId, modulo the partition count.
 * Stable across processes and languages, so every component agrees without coordination.
 */
export function partitionOf(planId: string, partitions: number): number {
  let hash = 0x811c9dc5;
  // ASCII (nearly every id) is its own UTF-8: hashed without encoding it first.
  if (/^[\x00-\x7f]*$/.test(planId)) {
    for (let index = 0; index < planId.length; index += 1) {
      hash ^= planId.charCodeAt(index);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % partitions;
  }
  const bytes = Buffer.from(planId, 'utf8');
  for (let index = 0; index < bytes.length; index += 1) {
    hash ^= bytes[index]!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
