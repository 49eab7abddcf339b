/**
 * The items of `old` that `next` does not hold, and the items of `next` that `old` did not, by
 * identity: what a change of a list touched, when the states of a document share the items it
 * left alone (see jsonText). Compared place by place while the lists are as long (an item moved
 * to another place is then on both sides); otherwise as sets.
 */
export function unsharedItems<T>(old: readonly T[], next: readonly T[]): [T[], T[]] {
  if (old.length === next.length) {
    const gone: T[] = [];
    const fresh: T[] = [];
    for (let i = 0; i < old.length; i += 1) {
      if (old[i] === next[i]) continue;
      gone.push(old[i]!);
      fresh.push(next[i]!);
    }
    return [gone, fresh];
  }
  const kept = new Set(old);
  const fresh = next.filter((item) => !kept.delete(item));
  return [[...kept], fresh];
}
