import test from 'ava';
import { RedisPlanDirectory } from '@planledger/core/redis';
import { aPlan } from '../../core/test/planMother.js';
import { apiClient } from './apiClient.js';
import { waitForProjections } from './stackLoad.js';
import { connectStackRedis, runCli, startStack, type Stack } from './stackProcesses.js';

let stack: Stack;
const planIds: string[] = [];

test.before(async () => {
  stack = await startStack();
  const writer = await apiClient(stack.baseUrl, stack.env.OIDC_ISSUER ?? '', 'dev-writer');
  for (let i = 0; i < 30; i += 1) {
    const plan = aPlan({ copay: i });
    await writer.post('/v1/plans', plan);
    planIds.push(plan.objectId);
  }
  await waitForProjections(stack);
});
test.after.always(async () => {
  await stack?.stop();
});

/** Runs a built CLI with the stack's environment, stdout and stderr piped (so not a TTY). */
const cli = (script: string, ...args: string[]) => runCli(stack.env, script, ...args).done;

test('CLI flags › an unknown or malformed flag says what was wrong, prints the usage and exits 2', async (t) => {
  const from = await cli('replayMain.js', '--projection', 'search', '--from', '0');
  t.is(from.code, 2);
  t.regex(from.stderr, /Unknown option '--from'/);
  t.regex(from.stderr, /usage: npm run replay/);
  const noValue = await cli('replayMain.js', '--projection');
  t.is(noValue.code, 2);
  t.regex(noValue.stderr, /--projection/);
  const unknownProjection = await cli('verifyMain.js', '--projection', 'nope');
  t.is(unknownProjection.code, 2);
  t.regex(unknownProjection.stderr, /no projection named 'nope'/);
  const noReason = await cli('deadLettersMain.js', 'discard', 'some-id');
  t.is(noReason.code, 2);
  t.regex(noReason.stderr, /--reason/);
  const badLimit = await cli('deadLettersMain.js', 'list', '--limit', 'ten');
  t.is(badLimit.code, 2);
  t.regex(badLimit.stderr, /--limit: 'ten'/);
  const help = await cli('verifyMain.js', '--help');
  t.is(help.code, 0);
  t.regex(help.stdout, /usage: npm run verify/);
});

test('npm run replay › not on a terminal: plain progress lines with totals and rate, then the result; --verify finds nothing', async (t) => {
  const run = await cli('replayMain.js', '--projection', 'search', '--verify');
  t.is(run.code, 0, run.stdout + run.stderr);
  // Printed as polled (every 250 ms): a rebuild of 30 events may be over by the first poll, leaving only the done line.
  t.regex(run.stdout, /^rebuild search: (replay|catch-up|done) \d+ of 30 events \(\d+\.\d%\), \d+ events\/s/m);
  t.regex(run.stdout, /^ {2}phases: create \d+\.\d\d s, replay \d+\.\d\d s, switch \d+\.\d\d s, catchUp \d+\.\d\d s, drop \d+\.\d\d s$/m);
  t.regex(run.stdout, /replay search: rebuilt plans-e2e-\S+ from 30 events/);
  t.regex(run.stdout, /verify search: 30 plans, 0 mismatches/);
  t.false(run.stdout.includes('\r'), 'no redrawing when not a terminal');
});

test('npm run verify › exit 1 on drift; --repair re-projects the mismatched plan and exits 0', async (t) => {
  const redis = connectStackRedis(stack.env);
  t.teardown(() => redis.disconnect());
  const prefix = stack.env.KEY_PREFIX ?? '';
  const generation = (await redis.get(RedisPlanDirectory.generationKey(prefix))) ?? '0';
  const order = `${prefix}:directory:g${generation}:{org:example.com}:order`;
  t.is(await redis.zrem(order, planIds[0]!), 1);
  const found = await cli('verifyMain.js', '--projection', 'directory');
  t.is(found.code, 1, found.stdout + found.stderr);
  t.regex(found.stdout, /verify directory: 30 plans, 1 mismatches \(missing 1, extra 0, staleVersion 0, differentContent 0\)/);
  const repaired = await cli('verifyMain.js', '--projection', 'directory', '--repair');
  t.is(repaired.code, 0, repaired.stdout + repaired.stderr);
  t.regex(repaired.stdout, /repair directory: re-projected 1 plans from the log/);
  t.regex(repaired.stdout, /verify directory: 1 plans, 0 mismatches/);
  t.not(await redis.zscore(order, planIds[0]!), null);
});

test('npm run dead-letters › lists none; an unknown id fails with the reason', async (t) => {
  const list = await cli('deadLettersMain.js', 'list');
  t.is(list.code, 0, list.stderr);
  t.regex(list.stdout, /no dead letters/);
  const show = await cli('deadLettersMain.js', 'show', 'nope');
  t.is(show.code, 1);
  t.regex(show.stdout + show.stderr, /No dead letter with id 'nope'/);
});
