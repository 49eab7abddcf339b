import test from 'ava';
import { createWatermark } from '../src/createWatermark.js';

test('watermark › moves only over a contiguous run of settled events', (t) => {
  const mark = createWatermark();
  for (const position of ['1-0', '2-0', '3-0', '4-0']) mark.arrived(position);
  t.is(mark.settled('2-0', 'done'), null, '1-0 is still in flight');
  t.is(mark.settled('3-0', 'done'), null);
  t.is(mark.settled('1-0', 'done'), '3-0', 'jumps over everything settled behind it');
  t.is(mark.settled('4-0', 'done'), '4-0');
});

test('watermark › a requeued event holds the mark until its redelivery settles', (t) => {
  const mark = createWatermark();
  mark.arrived('1-0');
  mark.arrived('2-0');
  t.is(mark.settled('1-0', 'requeued'), null);
  t.is(mark.settled('2-0', 'done'), null, 'not past the requeued event');
  mark.arrived('1-0'); // the broker delivers it again
  t.is(mark.settled('1-0', 'done'), '2-0');
});
