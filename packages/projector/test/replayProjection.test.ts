import test from 'ava';
import { InMemoryEventLog, InMemoryProjectionState, silentLogger } from '@planledger/core';
import { createProjectionRunner } from '../src/createProjectionRunner.js';
import { replayProjection, type ReplayProgress } from '../src/replayProjection.js';
import { appendVersions, recordingTarget } from './projectionTestKit.js';

test('replay › folds each plan and writes its final state once per pass, however deep its history', async (t) => {
  const log = new InMemoryEventLog(2);
  await appendVersions(log, 'deep', 500);
  for (const plan of ['a', 'b', 'c']) await appendVersions(log, plan, 3);
  const target = recordingTarget();
  const runner = createProjectionRunner({ log, state: new InMemoryProjectionState(), target, logger: silentLogger });
  const progress: ReplayProgress[] = [];
  const { events, positions } = await replayProjection({ log: log.partitionLog, runner, batchSize: 50, onProgress: (p) => void progress.push(p) });
  t.is(events, 509);
  t.is(target.changes.length, 4, 'one change per plan');
  const deep = target.changes.find((c) => c.event.planId === 'deep')!;
  t.deepEqual([deep.before.version, deep.after.version, deep.event.version], [0, 500, 500]);
  t.is(deep.after.document?.planType, 'type-500');
  t.true(progress.every((p) => p.total === 509), 'the total is known up front');
  t.is(progress.at(-1)?.events, 509);
  t.is(progress.at(-1)?.etaSeconds, 0);
  t.is(progress.at(-1)?.partitionsDone, 2);

  // A second pass from where the first ended writes only what came since, starting from what the target has.
  await appendVersions(log, 'late', 2);
  const again = await replayProjection({ log: log.partitionLog, runner, after: positions });
  t.is(again.events, 2);
  t.is(target.changes.length, 5);
  t.is(target.changes.at(-1)?.event.planId, 'late');
});

test('replay › bounded holding writes a plan more than once, still chained from what the target has', async (t) => {
  const log = new InMemoryEventLog(1);
  await appendVersions(log, 'p', 30);
  const target = recordingTarget();
  const runner = createProjectionRunner({ log, state: new InMemoryProjectionState(), target, logger: silentLogger });
  await replayProjection({ log: log.partitionLog, runner, batchSize: 10, maxHeldEvents: 10 });
  t.deepEqual(target.changes.map((c) => [c.before.version, c.after.version]), [[0, 10], [10, 20], [20, 30]]);
});
