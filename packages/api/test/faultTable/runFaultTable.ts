// The fault table (issue 12): `npm run test:faults` (scripts/faults.sh) or
// `npx tsx packages/api/test/faultTable/runFaultTable.ts [--rows 1,2,…] [--ops N]`.
// Runs each row under a steady write load on one stack, prints one markdown table, writes it to
// .data/test-output/fault-table.md, and exits non-zero when any row lost a write, ended unequal or failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FAULT_ROWS } from './faultRows.js';
import { formatFaultTable, startFaultRun, type RowResult } from './faultRun.js';
import { topologyFromEnv } from './topology.js';

const { values } = parseArgs({ options: { rows: { type: 'string' }, ops: { type: 'string', default: '1000' } } });
const ops = Number(values.ops);
const wanted = values.rows ? values.rows.split(',').map(Number) : FAULT_ROWS.map((row) => row.id);
const rows = FAULT_ROWS.filter((row) => wanted.includes(row.id));
if (!Number.isInteger(ops) || ops < 1 || rows.length !== wanted.length) {
  process.stderr.write(`usage: runFaultTable.ts [--rows ${FAULT_ROWS.map((row) => row.id).join(',')}] [--ops N]\n`);
  process.exit(2);
}
const durations = { esOutageMs: Number(process.env.FAULT_ES_OUTAGE_MS ?? 120_000), soakMs: Number(process.env.FAULT_SOAK_MS ?? 600_000) };
const say = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

const run = await startFaultRun({ ops, durations, log: say });
const results: RowResult[] = [];
try {
  for (const row of rows) {
    say(`row ${row.id}: ${row.name}`);
    const result = await run.runRow(row);
    say(`row ${row.id}: ${result.passed ? 'pass' : result.skipped ? 'not run' : 'FAIL'} ${result.failure ?? JSON.stringify(result.outcome)}`);
    results.push(result);
  }
} finally {
  await run.stop();
}
const topology = topologyFromEnv();
const parts = (['redis', 'rabbitmq', 'es'] as const).map((part) => `${part}: ${topology[part] ? 'cluster' : 'single node'}`).join(', ');
const table = formatFaultTable(results, `Fault table — ${new Date().toISOString()} — ${ops} operations per fault — ${parts}`);
process.stdout.write(`\n${table}`);
const out = fileURLToPath(new URL('../../../../.data/test-output/', import.meta.url));
mkdirSync(out, { recursive: true });
writeFileSync(`${out}fault-table.md`, table);
process.exitCode = results.every((result) => result.passed || result.skipped) ? 0 : 1;
