/**
 * `npm run fuzz`: the generative HTTP fuzz against the real stack. FUZZ_RUNS cases (default
 * 100000), FUZZ_SEED (default: time), FUZZ_CONCURRENCY cases in flight (default 24). Prints counts
 * by status and route and the shrunk counter-example of every distinct failure; exits 1 on any.
 */
import { formatFuzzResult, runFuzz } from './runFuzz.js';

const integer = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw new Error(`${name} must be an integer, not '${raw}'`);
  return Number(raw);
};

const runs = integer('FUZZ_RUNS', 100_000);
const seed = integer('FUZZ_SEED', Date.now() % 2_147_483_647);
const concurrency = integer('FUZZ_CONCURRENCY', 24);
process.stdout.write(`fuzz: ${runs} cases, seed ${seed} (FUZZ_SEED=${seed} repeats this run), ${concurrency} in flight\n`);
const started = Date.now();
const result = await runFuzz({
  runs,
  seed,
  concurrency,
  onProgress: (done) => {
    if (done % 5000 === 0) process.stdout.write(`  ${done} cases (${(done / ((Date.now() - started) / 1000)).toFixed(0)}/s)\n`);
  },
});
process.stdout.write(`${formatFuzzResult(result)}\n`);
process.exitCode = result.failures.length > 0 || result.serverErrors > 0 ? 1 : 0;
