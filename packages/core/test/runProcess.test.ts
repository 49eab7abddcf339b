import test from 'ava';
import { runProcess, silentLogger, type RunProcessOptions } from '../src/index.js';

/** A runner wired to fake process hooks: the exit codes it chose and a way to send signals. */
function harness() {
  const exits: number[] = [];
  const handlers = new Map<string, () => void>();
  const hooks: Pick<RunProcessOptions, 'exit' | 'onSignal' | 'logger'> = {
    logger: silentLogger,
    exit: (code) => void exits.push(code),
    onSignal: (signal, handler) => void handlers.set(signal, handler),
  };
  const signal = (name: 'SIGINT' | 'SIGTERM') => handlers.get(name)?.();
  return { exits, signal, hooks };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('runProcess › SIGTERM stops the process cleanly and exits 0', async (t) => {
  const { exits, signal, hooks } = harness();
  let stopped = 0;
  await runProcess({ ...hooks, name: 'p', start: async () => ({ stop: async () => void (stopped += 1) }) });
  signal('SIGTERM');
  await tick();
  t.is(stopped, 1);
  t.deepEqual(exits, [0]);
});

test('runProcess › a second signal exits 130 at once; a failing stop exits 1', async (t) => {
  const { exits, signal, hooks } = harness();
  await runProcess({ ...hooks, name: 'p', start: async () => ({ stop: () => Promise.reject(new Error('stuck')) }) });
  signal('SIGINT');
  signal('SIGINT');
  t.deepEqual(exits, [130]);
  await tick();
  t.deepEqual(exits, [130, 1]);
});

test('runProcess › a start-up failure is reported and exits 1', async (t) => {
  const { exits, hooks } = harness();
  const reported: unknown[] = [];
  const failure = new Error('no AOF');
  await runProcess({ ...hooks, name: 'p', start: () => Promise.reject(failure), reportFailure: (error) => void reported.push(error) });
  t.deepEqual(exits, [1]);
  t.deepEqual(reported, [failure]);
});

test('runProcess › work that ends by itself exits with the exit code it set, or 0', async (t) => {
  const { exits, hooks } = harness();
  await runProcess({ ...hooks, name: 'p', start: async () => ({ stop: async () => {}, done: Promise.resolve() }) });
  t.deepEqual(exits, [0]);
  const failing = harness();
  await runProcess({ ...failing.hooks, name: 'p', start: async () => ({ stop: async () => {}, done: Promise.reject(new Error('replay failed')) }) });
  t.deepEqual(failing.exits, [1]);
});
