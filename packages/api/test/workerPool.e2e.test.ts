import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import test from 'ava';
import { aPlan } from '../../core/test/planMother.js';
import { devToken } from './authTestContext.js';
import { startStack, type Stack } from './stackProcesses.js';

let stack: Stack;
let writer: string;

test.before(async () => {
  stack = await startStack({ API_WORKERS: '2' });
  writer = `Bearer ${await devToken(stack.env.OIDC_ISSUER ?? '', 'dev-writer')}`;
});

test.after.always(async () => {
  await stack?.stop();
});

/** The api primary's worker processes. */
const workersOf = (pid: number): number[] => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
};

/** One request on a connection of its own (so the primary hands it to the next worker); its status and body. */
function freshRequest(path: string, { method = 'GET', body }: { method?: string; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${stack.baseUrl}${path}`, { method, agent: false, headers: { authorization: writer, ...(body ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

const requestsCounted = (metrics: string, route: string, status: number): number =>
  metrics
    .split('\n')
    .filter((line) => line.startsWith('planledger_http_request_duration_seconds_count{') && line.includes(`route="${route}"`) && line.includes(`status="${status}"`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);

test.serial('worker pool › API_WORKERS=2 serves from two processes; /metrics counts the requests of both', async (t) => {
  const primary = stack.processes.api.pid ?? 0;
  const workers = workersOf(primary);
  t.is(workers.length, 2);
  // Each worker in turn is paused (SIGSTOP), so the other accepts every connection meanwhile:
  // five writes and five reads are answered by each worker.
  const plans = Array.from({ length: 10 }, () => aPlan());
  for (const [turn, paused] of workers.entries()) {
    process.kill(paused, 'SIGSTOP');
    try {
      for (const plan of plans.slice(turn * 5, turn * 5 + 5)) {
        t.is((await freshRequest('/v1/plans', { method: 'POST', body: JSON.stringify(plan) })).status, 201);
        t.is((await freshRequest(`/v1/plans/${plan.objectId}`)).status, 200);
      }
    } finally {
      process.kill(paused, 'SIGCONT');
    }
  }
  const metrics = (await freshRequest('/metrics')).body;
  t.is(requestsCounted(metrics, '/v1/plans', 201), 10);
  t.is(requestsCounted(metrics, '/v1/plans/:id', 200), 10);
  // The lag both workers read is one reading, not their sum.
  const relayLag = metrics.split('\n').filter((line) => line.startsWith('planledger_lag_seconds{consumer="relay"}'));
  t.is(relayLag.length, 1);
});

test.serial('worker pool › a worker that dies is replaced, and the api answers throughout', async (t) => {
  const primary = stack.processes.api.pid ?? 0;
  const [victim, survivor] = workersOf(primary) as [number, number];
  process.kill(victim, 'SIGKILL');
  // The survivor answers while the replacement starts.
  t.is((await freshRequest('/health/live')).status, 200);
  for (const deadline = Date.now() + 20_000; workersOf(primary).length < 2 || workersOf(primary).includes(victim); ) {
    if (Date.now() > deadline) return t.fail(`no replacement for worker ${victim}: ${stack.output('api')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const now = workersOf(primary);
  t.true(now.includes(survivor));
  t.false(now.includes(victim));
  for (let i = 0; i < 4; i += 1) t.is((await freshRequest('/v1/plans', { method: 'POST', body: JSON.stringify(aPlan()) })).status, 201);
  t.regex(stack.output('api'), /api worker died: replacing it/);
});

test.serial('worker pool › SIGTERM to the primary stops every worker, then the primary, with exit 0', async (t) => {
  const child = stack.processes.api;
  // The pool is whole again (the replacement of the last test may still be starting).
  for (const deadline = Date.now() + 20_000; workersOf(child.pid ?? 0).length < 2 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 200));
  const workers = workersOf(child.pid ?? 0);
  t.is(workers.length, 2);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000))]);
  if (stopped === null) return t.fail(`the api did not stop within 20 s: ${stack.output('api')}`);
  t.is(stopped[0], 0);
  const alive = workers.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  t.deepEqual(alive, []);
});
