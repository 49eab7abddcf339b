/**
 * Where the write path's time goes: the stack started with a CPU-profiling preload
 * (bench/profile/cpuProfilePreload.mjs) in the api, relay and projector, 500 plans seeded, then
 * 10 s of POSTs (PROFILE_KIND=POST, default), one-field PATCHes (PATCH), GETs by id (GET) or
 * time travel by version on a plan of 1,000 versions (VERSION) at
 * 500/s, and one .cpuprofile per process under .data/profiles/
 * (`node bench/profile/summarizeProfile.mjs FILE`). PROFILE_API_ONLY=1 profiles the api alone, as
 * the api-only throughput figures run it: relay and projector stopped, 64 connections unthrottled.
 * PROFILE_HEAP=1 samples allocations instead of CPU (.heapprofile; pass the run's `ok` to the
 * summary as its fourth argument for the bytes allocated per request).
 *
 *   node --import tsx bench/profileWrites.ts
 */
import { fileURLToPath } from 'node:url';
import { aPlan } from '../packages/core/test/planMother.js';
import { startStack } from '../packages/api/test/stackProcesses.js';
import type { PlanDocument } from '../packages/core/src/index.js';
import { benchApi, copayPatchLoad, getLoad, inParallel, postLoad, type BenchApi, type RequestLoad } from './benchApi.js';
import { waitCaughtUp } from './caughtUp.js';
import { loadRun } from './loadRun.js';

/** Time travel by version on one plan of 1,000 versions (PROFILE_KIND=VERSION). */
async function versionLoad(api: BenchApi, plan: PlanDocument): Promise<RequestLoad> {
  const versions = 1_000;
  for (let copay = 2; copay <= versions; copay += 1) await api.patchCopay(plan.objectId, copay);
  const path = `/v1/plans/${plan.objectId}`;
  return {
    url: api.baseUrl,
    headers: { authorization: api.auditor },
    requests: [{ setupRequest: (request) => ({ ...request, path: `${path}?version=${1 + Math.floor(Math.random() * versions)}` }) }],
  };
}

const preload = fileURLToPath(new URL('./profile/cpuProfilePreload.mjs', import.meta.url));
const withPreload = { NODE_OPTIONS: `--import ${preload}`, PROFILE_HEAP: process.env.PROFILE_HEAP ?? '' };
const stack = await startStack({ LOG_LEVEL: 'error' }, { processEnv: { api: withPreload, relay: withPreload, projector: withPreload } });
const signal = () => Object.values(stack.processes).forEach((child) => child.kill('SIGUSR2'));
const apiOnly = process.env.PROFILE_API_ONLY === '1';
try {
  const api = await benchApi(stack);
  const seed = Array.from({ length: 500 }, () => aPlan());
  await inParallel(seed, 16, (plan) => api.post(plan));
  await waitCaughtUp(stack.baseUrl);
  if (apiOnly) await stack.kill('relay', 'SIGTERM').then(() => stack.kill('projector', 'SIGTERM'));
  const kind = process.env.PROFILE_KIND ?? 'POST';
  const load = kind === 'POST' ? postLoad(api) : kind === 'PATCH' ? copayPatchLoad(api, seed) : kind === 'VERSION' ? await versionLoad(api, seed[0]!) : getLoad(api, seed);
  signal();
  const run = await loadRun({ ...load, connections: 64, duration: 10, ...(apiOnly ? {} : { overallRate: 500 }) });
  if (!apiOnly) await waitCaughtUp(stack.baseUrl);
  signal();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  console.log(JSON.stringify({ kind, apiOnly, ok: run.ok, rps: run.rps }));
} finally {
  await stack.stop();
}
