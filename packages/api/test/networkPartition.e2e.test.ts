import { writeFileSync } from 'node:fs';
import test from 'ava';
import { createLocalFaultContext } from './faultTable/localFaultContext.js';
import { API_BOUND_MS, BROKER_NOTICE_BOUND_MS, runApiRedisPartition, runBrokerPartition } from './faultTable/rows/networkPartition.js';
import { startStack } from './stackProcesses.js';

test('the api cut off from Redis (black hole, reset, half-open both ways, latency) › every request answers within the bound with 503 problem+json, writes resume, nothing acknowledged is lost', async (t) => {
  // One Redis even where the cluster env is set: the proxy stands in front of a single server (see the row).
  const stack = await startStack({ REDIS_COMMAND_TIMEOUT_MS: '1000', REDIS_CLUSTER_NODES: '' });
  t.teardown(() => stack.stop());
  const outcome = await runApiRedisPartition(createLocalFaultContext(stack));
  for (const phase of outcome.phases) t.log(`${phase.fault}: ${phase.requests} requests, slowest ${Math.round(phase.maxMs)} ms, ${phase.acknowledgedDuring} writes acknowledged during it, ${JSON.stringify(phase.answers)}`);
  t.log(outcome.detail, `recovered within ${outcome.recoverMs} ms of healing`);
  if (outcome.load.unexpected.length > 0) writeFileSync('/tmp/netclock-api.log', stack.output('api'));
  for (const phase of outcome.phases) {
    t.deepEqual(phase.violations, [], `${phase.fault}: no answer past ${API_BOUND_MS} ms, none missing, no 5xx but 503`);
    t.true(phase.requests > 10, `${phase.fault}: probed`);
    t.true(phase.retryAfterOn503, `${phase.fault}: every 503 says Retry-After`);
  }
  const cutOff = outcome.phases.filter((phase) => !phase.fault.startsWith('latency 100'));
  for (const phase of cutOff) {
    const types = Object.keys(phase.answers).filter((answer) => answer.startsWith('503'));
    t.true(types.length > 0, `${phase.fault}: the log is answered as unavailable`);
    for (const answer of types) t.regex(answer, /^503 \/problems\/(unavailable|write-outcome-unknown)$/);
  }
  t.true(outcome.phases.find((phase) => phase.fault.startsWith('latency 100'))!.acknowledgedDuring > 0, 'latency below the timeout slows writes but does not stop them');
  t.deepEqual(outcome.load.unexpected, [], 'no answer but 2xx and 503');
  t.is(outcome.load.unresolved, 0, 'every write not acknowledged during a fault was acknowledged when retried with its key');
  t.true(outcome.acknowledged > 50, `${outcome.acknowledged} writes acknowledged`);
  t.is(outcome.lost, 0, 'every acknowledged write is in the log, once');
  t.true(outcome.projectionsEqual, 'every projection equals the fold of the log');
});

test('the projector cut off from RabbitMQ (black hole, then half-open) › it notices within the bound, resumes, and projections equal the fold of the log', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const outcome = await runBrokerPartition(createLocalFaultContext(stack));
  t.log(outcome.detail, `caught up within ${outcome.recoverMs} ms of healing`);
  for (const fault of outcome.faults) {
    t.not(fault.noticedMs, null, `${fault.fault}: the projector noticed`);
    t.true((fault.noticedMs ?? Infinity) <= BROKER_NOTICE_BOUND_MS, `${fault.fault}: noticed after ${fault.noticedMs} ms`);
  }
  t.true(outcome.acknowledged > 30, `${outcome.acknowledged} writes acknowledged`);
  t.is(outcome.lost, 0);
  t.true(outcome.projectionsEqual, 'every projection equals the fold of the log');
});
