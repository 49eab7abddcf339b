import test from 'ava';
import { formatFuzzResult, runFuzz } from './fuzz/runFuzz.js';

// A fixed-seed slice of `npm run fuzz` (see README "Fuzzing"): the same cases every run, so CI
// stays fast and a failure here reproduces with FUZZ_SEED=20260801 FUZZ_RUNS=5000 npm run fuzz.
test('HTTP fuzz (fixed seed) › no 5xx, no hang, refusals are problem+json and change nothing, accepted writes match the references, tenants stay apart', async (t) => {
  // A guard against a hang, not a speed check: on a shared 2-core machine (load ~18) the 5,000
  // cases took 74 s alone and past 110 s beside the other integration files.
  t.timeout(240_000);
  const result = await runFuzz({ runs: 5_000, seed: 20_260_801, concurrency: 24, maxShrinkRuns: 150 });
  t.log(`${result.cases} cases, ${result.requests} requests in ${result.seconds.toFixed(1)} s`);
  t.true(result.cases >= 5_000, `ran ${result.cases} cases`);
  t.is(result.serverErrors, 0, formatFuzzResult(result));
  t.deepEqual(result.failures.map((f) => f.key), [], formatFuzzResult(result));
});
