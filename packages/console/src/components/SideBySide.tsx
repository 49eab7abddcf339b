import { Text } from '@mantine/core';
import { useMemo } from 'react';
import { lineDiff, MAX_DIFF_LINES } from './lineDiff';
import classes from './SideBySide.module.css';

/** Two documents side by side as indented JSON, changed lines marked; unchanged stretches folded. */
export function SideBySide({ before, after, leftTitle, rightTitle }: { before: unknown; after: unknown; leftTitle: string; rightTitle: string }) {
  const rows = useMemo(() => {
    const a = before === null ? '' : JSON.stringify(before, null, 2);
    const b = after === null ? '' : JSON.stringify(after, null, 2);
    if (a.split('\n').length > MAX_DIFF_LINES || b.split('\n').length > MAX_DIFF_LINES) return null;
    return lineDiff(a, b);
  }, [before, after]);
  if (rows === null) return <Text size="sm" c="dimmed">These versions are too large to show side by side; the change lines above say what changed.</Text>;
  // Keep 3 lines of context around each change, fold the rest.
  const keep = rows.map((row, index) => row.kind !== 'same' || rows.slice(Math.max(0, index - 3), index + 4).some((near) => near.kind !== 'same'));
  const shown: Array<{ index: number } | { folded: number }> = [];
  rows.forEach((_, index) => {
    if (keep[index]) shown.push({ index });
    else {
      const last = shown.at(-1);
      if (last && 'folded' in last) shown[shown.length - 1] = { folded: last.folded + 1 };
      else shown.push({ folded: 1 });
    }
  });
  return (
    <div className={classes.diff} role="table" aria-label={`${leftTitle} beside ${rightTitle}`} data-testid="side-by-side">
      <div className={classes.head} role="row">
        <div role="columnheader">{leftTitle}</div>
        <div role="columnheader">{rightTitle}</div>
      </div>
      {shown.map((item, position) =>
        'folded' in item ? (
          <div key={`f${position}`} className={classes.fold} role="row">
            <div role="cell">⋯ {item.folded} unchanged lines</div>
          </div>
        ) : (
          <div key={item.index} className={`${classes.row} ${classes[rows[item.index]?.kind ?? 'same']}`} role="row">
            <pre role="cell" className={classes.left}>{rows[item.index]?.left ?? ''}</pre>
            <pre role="cell" className={classes.right}>{rows[item.index]?.right ?? ''}</pre>
          </div>
        ),
      )}
    </div>
  );
}
