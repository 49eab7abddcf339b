/** Log positions are Redis stream ids `<ms>-<seq>`: compares two as numbers (-1, 0, 1). */
export function comparePositions(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map((part) => BigInt(/^\d+$/.test(part) ? part : 0));
  const [bm = 0n, bs = 0n] = b.split('-').map((part) => BigInt(/^\d+$/.test(part) ? part : 0));
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}
