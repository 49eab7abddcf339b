/**
 * Where the write path's time goes: the stack started with a CPU-profiling preload
 * (bench/profile/cpuProfilePreload.mjs) in the api, relay and projector, 500 plans seeded, then
 * 10 s of POSTs (PROFILE_KIND=POST, default) or one-field PATCHes (PATCH) at 500/s, and one
 * .cpuprofile per process under .data/profiles/ (`node bench/profile/summarizeProfile.mjs FILE`).
 *
 *   node --import tsx bench/profileWrites.ts
 */
import { fileURLToPath } from 'node:url';
import { aPlan } from '../packages/core/test/planMother.js';
import { startStack } from '../packages/api/test/stackProcesses.js';
import { benchApi, copayPatchLoad, inParallel, postLoad } from './benchApi.js';
import { waitCaughtUp } from './caughtUp.js';
import { loadRun } from './loadRun.js';

const preload = fileURLToPath(new URL('./profile/cpuProfilePreload.mjs', import.meta.url));
const withPreload = { NODE_OPTIONS: `--import ${preload}` };
const stack = await startStack({ LOG_LEVEL: 'error' }, { processEnv: { api: withPreload, relay: withPreload, projector: withPreload } });
const signal = () => Object.values(stack.processes).forEach((child) => child.kill('SIGUSR2'));
try {
  const api = await benchApi(stack);
  const seed = Array.from({ length: 500 }, () => aPlan());
  await inParallel(seed, 16, (plan) => api.post(plan));
  await waitCaughtUp(stack.baseUrl);
  signal();
  const kind = process.env.PROFILE_KIND ?? 'POST';
  const run = await loadRun({ ...(kind === 'POST' ? postLoad(api) : copayPatchLoad(api, seed)), connections: 64, duration: 10, overallRate: 500 });
  await waitCaughtUp(stack.baseUrl);
  signal();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  console.log(JSON.stringify({ kind, ok: run.ok }));
} finally {
  await stack.stop();
}
