import test from 'ava';
import { FAULT_ROWS } from './faultTable/faultRows.js';
import { startFaultRun, type FaultRun } from './faultTable/faultRun.js';

// Fault rows on one instance of each process (the killed one is restarted, recovery timed from the
// restart), with a short Elasticsearch outage; the fault table runs them on the scaled-out stack
// and the cluster topology (npm run test:faults, and the fast subset in faultTable.cluster.test.ts).
const OPS = 300;
let run: FaultRun;
test.before(async () => {
  run = await startFaultRun({ ops: OPS, shape: { apis: 1, relays: 1, projectors: 1 }, durations: { esOutageMs: 5000, soakMs: 0 }, env: { DELIVERY_LIMIT: '2' } });
});
test.after.always(() => run?.stop());

const rows: Record<number, string> = {
  2: 'SIGKILL of the api under write load loses no acknowledged write, leaves no half-applied change, and the restarted api reads the last writes',
  3: 'SIGKILL of the relay under write load: after its restart every projection equals the fold of the log',
  4: 'SIGKILL of a projector holding unacked messages: after its restart every projection equals the fold of the log',
  7: 'Elasticsearch unreachable under writes: the api keeps accepting writes, search and readiness answer 503, projections converge after it returns',
  10: 'a poison event is recorded once as a dead letter per projection while other plans of its partition keep projecting',
};
for (const [id, title] of Object.entries(rows)) {
  const row = FAULT_ROWS.find((candidate) => candidate.id === Number(id));
  test(`fault row ${id} › ${title}`, async (t) => {
    if (!row) throw new Error(`no fault row ${id}`);
    const result = await run.runRow(row);
    t.is(result.failure, undefined);
    t.log(JSON.stringify(result.outcome));
    t.is(result.outcome?.lost, 0, result.outcome?.detail);
    t.true(result.outcome?.projectionsEqual, result.outcome?.detail);
    t.deepEqual(result.outcome?.problems, []);
  });
}
