import test from 'ava';
import type { FaultRow } from './faultRow.js';
import { formatFaultTable } from './faultRun.js';
import { judgeMemory } from './processMemory.js';

const MiB = 1024 * 1024;
const row = (id: number, name: string): FaultRow => ({ id, name, run: () => Promise.reject(new Error('not run here')) });

test('judgeMemory › flat when the end stays within 10% of the level after warm-up, whatever warm-up did', (t) => {
  const warmingThenFlat = [...Array.from({ length: 6 }, (_, i) => (100 + i * 40) * MiB), ...Array.from({ length: 14 }, () => 400 * MiB)];
  t.true(judgeMemory('api', warmingThenFlat).flat);
  const creeping = Array.from({ length: 20 }, (_, i) => (400 + i * 10) * MiB);
  const verdict = judgeMemory('projector', creeping);
  t.false(verdict.flat, `${verdict.afterWarmUp / MiB} → ${verdict.atEnd / MiB} MiB`);
});

test('judgeMemory › small processes may move by 16 MiB; unreadable samples are left out', (t) => {
  t.true(judgeMemory('relay', [...Array.from({ length: 10 }, () => 40 * MiB), ...Array.from({ length: 10 }, () => 55 * MiB)]).flat);
  t.false(judgeMemory('relay', [...Array.from({ length: 10 }, () => 40 * MiB), ...Array.from({ length: 10 }, () => 60 * MiB)]).flat);
  t.true(judgeMemory('gone', [...Array.from({ length: 19 }, () => 40 * MiB), null]).flat);
});

test('judgeMemory › a garbage-collected sawtooth is flat; the same sawtooth rising is not', (t) => {
  // The relay of a cluster soak: 60 samples, collected from ~68 down to ~36 MiB every 22 samples.
  const sawtooth = Array.from({ length: 60 }, (_, i) => (36 + (i % 22) * 1.5) * MiB);
  t.true(judgeMemory('relay', sawtooth).flat);
  t.false(judgeMemory('relay', sawtooth.map((bytes, i) => bytes + i * MiB)).flat);
});

test('formatFaultTable › one row per fault with lost, equal, recovery and result; rows not run say why', (t) => {
  const table = formatFaultTable(
    [
      { row: row(2, 'SIGKILL of the api'), outcome: { acknowledged: 1010, lost: 0, projectionsEqual: true, recoverMs: 685, detail: 'killed api', problems: [] }, passed: true },
      { row: row(4, 'SIGKILL | of a projector'), outcome: { acknowledged: 1000, lost: 2, projectionsEqual: false, recoverMs: Number.NaN, problems: ['a gap'] }, passed: false },
      { row: row(1, 'SIGKILL of a Redis master'), outcome: null, skipped: true, failure: 'needs the redis cluster', passed: false },
    ],
    'Fault table',
  );
  const lines = table.split('\n');
  t.is(lines[0], 'Fault table');
  t.true(lines.includes('| 2 | SIGKILL of the api | 1010 | 0 | yes | 0.7 s | pass | killed api |'));
  t.true(lines.includes('| 4 | SIGKILL \\| of a projector | 1000 | 2 | NO | — | FAIL | a gap |'));
  t.true(lines.includes('| 1 | SIGKILL of a Redis master | — | — | — | — | not run | needs the redis cluster |'));
  t.regex(table, /Time to recover: from the fault's removal/);
});
