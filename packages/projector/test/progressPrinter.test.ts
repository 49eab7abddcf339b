import test from 'ava';
import { Writable } from 'node:stream';
import type { JobRecord } from '../src/admin/index.js';
import { createProgressPrinter, progressLine } from '../src/cli/progressPrinter.js';

const job = (over: Partial<JobRecord> = {}): JobRecord => ({
  id: 'j1',
  projection: 'search',
  kind: 'rebuild',
  state: 'running',
  phase: 'replay',
  eventsDone: 250,
  eventsTotal: 1000,
  eventsPerSecond: 125,
  etaSeconds: 6,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
  result: null,
  error: null,
  heartbeatAt: '2026-01-01T00:00:02.000Z',
  owner: 'host/1',
  ...over,
});

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join(''), chunks };
}

test('progressLine › phase, done of total with percentage, rate and ETA', (t) => {
  t.is(progressLine(job()), 'rebuild search: replay 250 of 1000 events (25.0%), 125 events/s, ETA 6 s');
  t.is(progressLine(job({ kind: 'verify', phase: 'verify', etaSeconds: null })), 'verify search: verify 250 of 1000 plans (25.0%), 125 plans/s');
});

test('on a terminal › a bar redrawn in place (carriage return, clear line), one newline at the end', (t) => {
  const out = sink();
  const printer = createProgressPrinter(out.stream, { tty: true });
  printer.update(job());
  printer.update(job({ eventsDone: 500 }));
  printer.finish();
  t.is(out.chunks.length, 3);
  t.true(out.chunks[0]!.startsWith('\r\x1b[2K[########----------------------] rebuild search: replay 250 of 1000'));
  t.true(out.chunks[1]!.startsWith('\r\x1b[2K[###############---------------]'));
  t.is(out.chunks[2], '\n');
});

test('not a terminal › plain lines, at most one per interval unless the phase changes', (t) => {
  let now = 0;
  const out = sink();
  const printer = createProgressPrinter(out.stream, { tty: false, intervalMs: 1000, now: () => now });
  printer.update(job());
  now = 400;
  printer.update(job({ eventsDone: 300 }));
  now = 1_100;
  printer.update(job({ eventsDone: 400 }));
  now = 1_200;
  printer.update(job({ phase: 'catch-up', eventsDone: 1000 }));
  printer.finish();
  t.deepEqual(out.text().trim().split('\n').map((line) => line.split(':')[1]?.trim().split(' ').slice(0, 2).join(' ')), ['replay 250', 'replay 400', 'catch-up 1000']);
  t.false(out.text().includes('\r'));
});
