export interface DiffRow {
  readonly left: string | null;
  readonly right: string | null;
  readonly kind: 'same' | 'removed' | 'added' | 'changed';
}

/** Longest texts compared line by line; past it the caller shows the change lines only. */
export const MAX_DIFF_LINES = 2500;

/**
 * Side-by-side rows of two texts, from a longest-common-subsequence over their lines: equal lines
 * face each other, a run of removals beside a run of additions pairs up as changed lines.
 */
export function lineDiff(before: string, after: string): DiffRow[] {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = table[i] as Uint32Array;
    const below = table[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) row[j] = a[i] === b[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
  }
  const rows: DiffRow[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    const length = Math.max(removed.length, added.length);
    for (let k = 0; k < length; k++) {
      const left = removed[k] ?? null;
      const right = added[k] ?? null;
      rows.push({ left, right, kind: left !== null && right !== null ? 'changed' : left !== null ? 'removed' : 'added' });
    }
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      flush();
      rows.push({ left: a[i] ?? '', right: b[j] ?? '', kind: 'same' });
      i++;
      j++;
    } else if (j < m && (i === n || (table[i]?.[j + 1] ?? 0) >= (table[i + 1]?.[j] ?? 0))) {
      added.push(b[j++] ?? '');
    } else {
      removed.push(a[i++] ?? '');
    }
  }
  flush();
  return rows;
}
