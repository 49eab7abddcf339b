import test from 'ava';
import { createLocalFaultContext } from './faultTable/localFaultContext.js';
import { runClockSkew, tokensFromAheadIssuer } from './faultTable/rows/clockSkew.js';
import { startStack } from './stackProcesses.js';

test('the api clock two minutes behind the issuer, then stepping backwards during writes › tokens accepted, event times monotonic per plan, asOf exact, projections equal the log', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const outcome = await runClockSkew(createLocalFaultContext(stack));
  t.log(outcome.detail);
  t.deepEqual(outcome.behindStatuses, [201, 200, 200], 'a fresh token works on an api whose clock is two minutes behind');
  t.true(outcome.heldEvents > 5, `the clock did step back: ${outcome.heldEvents} events held at an earlier event's time`);
  t.true(outcome.eventsChecked > 50, `${outcome.eventsChecked} events checked`);
  t.is(outcome.timeReversals, 0, 'no event earlier than its plan\'s previous one');
  t.is(outcome.asOfMismatches, 0, '?asOf=<an event\'s time> answers the newest version of that time');
  t.is(outcome.lost, 0);
  t.true(outcome.projectionsEqual, 'every projection, the temporal one included, equals the fold of the log');
});

test('the api clock two minutes behind the issuer, with the not-before tolerance set to 5 s › fresh tokens are refused (the control: the skew is real)', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const statuses = await tokensFromAheadIssuer(createLocalFaultContext(stack), { OIDC_NOT_BEFORE_TOLERANCE: '5' });
  t.deepEqual(statuses, [401, 401, 401]);
});
