import test from 'ava';
import { lineDiff } from '../src/components/lineDiff.js';

test('lineDiff › equal lines face each other; a changed line pairs its removal with its addition', (t) => {
  t.deepEqual(lineDiff('a\nb\nc', 'a\nB\nc'), [
    { left: 'a', right: 'a', kind: 'same' },
    { left: 'b', right: 'B', kind: 'changed' },
    { left: 'c', right: 'c', kind: 'same' },
  ]);
});

test('lineDiff › lines only on one side are removed or added', (t) => {
  t.deepEqual(lineDiff('a\nb', 'a'), [{ left: 'a', right: 'a', kind: 'same' }, { left: 'b', right: null, kind: 'removed' }]);
  t.deepEqual(lineDiff('', 'x'), [{ left: null, right: 'x', kind: 'added' }]);
});
