import test from 'ava';
import { FAULT_ROWS } from './faultRows.js';
import { applyClusterDefaults, startFaultRun, type FaultRun } from './faultRun.js';
import { topologyFromEnv } from './topology.js';

// The fast subset of the fault table (the whole table: npm run test:faults), on the cluster
// topology (its settings from the environment, the common defaults otherwise), each row with its
// real thresholds: every acknowledged write in the log, every projection equal to the log.
applyClusterDefaults();
const OPS = Number(process.env.FAULT_OPS ?? 1000);
const topology = topologyFromEnv();
let run: FaultRun;
test.before(async () => {
  run = await startFaultRun({ ops: OPS, log: (line) => process.stderr.write(`${line}\n`) });
});
test.after.always(() => run?.stop());

for (const row of FAULT_ROWS.filter((candidate) => candidate.fast && (candidate.needs ?? []).every((part) => topology[part]))) {
  test(`fault ${row.id}, ${row.name} › under load, no acknowledged write lost and every projection equal to the fold of the log`, async (t) => {
    const result = await run.runRow(row);
    t.is(result.failure, undefined, 'the row ran to the end');
    t.log(JSON.stringify(result.outcome));
    t.is(result.outcome?.lost, 0, result.outcome?.detail);
    t.true(result.outcome?.projectionsEqual, result.outcome?.detail);
    t.deepEqual(result.outcome?.problems, []);
    t.true((result.outcome?.acknowledged ?? 0) >= OPS, `${result.outcome?.acknowledged} operations acknowledged during the fault`);
  });
}
