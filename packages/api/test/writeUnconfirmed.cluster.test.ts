import test from 'ava';
import { refOfPlan } from '@planledger/core';
import { aPlan } from '../../core/test/planMother.js';
import { clusterScript, connectTestCluster, shardOf } from '../../core/test/redisClusterContext.js';
import { startWriteSide } from './writeSideContext.js';

// On the cluster of scripts/redis-cluster.sh (up for this kind); the test stops replicas through
// the script and starts them again, leaving the cluster healthy.
test('POST while the plan’s master has no replica › 503 write-unconfirmed; the retry with the same Idempotency-Key, replicas back, answers 201 with one event', async (t) => {
  const redis = connectTestCluster();
  const side = await startWriteSide({ redis, replicaAcks: { count: 1, timeoutMs: 300 } });
  try {
    const plan = aPlan();
    const shard = await shardOf(redis, side.keys.head(refOfPlan(plan)));
    t.true(shard.replicas.length > 0);
    const key = { 'idempotency-key': `unconfirmed-${plan.objectId}` };
    let answer;
    try {
      for (const replica of shard.replicas) await clusterScript('kill', String(replica));
      answer = await side.writer.post('/v1/plans', plan, key);
    } finally {
      for (const replica of shard.replicas) await clusterScript('restart', String(replica));
    }
    t.is(answer.status, 503);
    t.is(answer.headers.get('content-type'), 'application/problem+json');
    t.is(answer.headers.get('retry-after'), '1');
    t.is(answer.body.type, '/problems/write-unconfirmed');
    t.regex(String(answer.body.detail), /outcome is unknown.*same Idempotency-Key/);

    const retried = await side.writer.post('/v1/plans', plan, key);
    t.is(retried.status, 201, JSON.stringify(retried.body));
    t.is(retried.headers.get('x-plan-version'), '1');
    t.deepEqual(retried.body, plan);
    t.is((await side.log.events(refOfPlan(plan))).length, 1, 'the write was made once');
  } finally {
    await side.stop();
  }
});
