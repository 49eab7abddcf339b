import test from 'ava';
import type { SourceMessage } from '@planledger/core';
import { createEventParser } from '../src/createEventParser.js';

const message = (position: string, body: string, partition = 0): SourceMessage => ({ partition, position, body, returned: 0, redelivered: false });

test('createEventParser › copies of one message (one per queue) give the same event; another body at that position, or another position, its own', (t) => {
  const parse = createEventParser();
  const body = JSON.stringify({ planId: 'p', version: 1 });
  const event = parse(message('1-0', body));
  t.deepEqual(event, JSON.parse(body));
  t.is(parse(message('1-0', `${body}`.slice(0))), event);
  t.not(parse(message('1-0', body, 1)), event, 'another partition');
  const other = parse(message('1-0', JSON.stringify({ planId: 'p', version: 2 })));
  t.is(other.version, 2, 'another body at the same position is read as it is');
  t.throws(() => parse(message('2-0', 'not json')), { instanceOf: SyntaxError });
});

test('createEventParser › keeps only the last events it was given room for', (t) => {
  const parse = createEventParser({ entries: 2 });
  const body = JSON.stringify({ planId: 'p', version: 1 });
  const first = parse(message('1-0', body));
  parse(message('2-0', body));
  t.is(parse(message('1-0', body)), first, 'still held');
  parse(message('3-0', body));
  parse(message('4-0', body));
  t.not(parse(message('1-0', body)), first, 'pushed out by the later ones');
});
