import test from 'ava';
import { foldPlan, refOfPlan } from '@planledger/core';
import { createRedisKeys, RedisEventLog } from '@planledger/core/redis';
import { aPlan } from '../../core/test/planMother.js';
import { devToken } from './authTestContext.js';
import { startStack, type Stack, connectStackRedis } from './stackProcesses.js';
import { checkedFetch } from './contract/checkedFetch.js';
import { ContractViolation } from './contract/openApiContract.js';

let stack: Stack;
test.before(async () => {
  stack = await startStack();
});
test.after.always(() => stack?.stop());

interface Ack {
  readonly planId: string;
  readonly version: number;
  readonly copay: number;
}

test('SIGKILL of the api under write load loses no acknowledged write and leaves no half-applied change', async (t) => {
  const headers = { authorization: `Bearer ${await devToken(stack.env.OIDC_ISSUER ?? '', 'dev-writer')}` };
  const plans = Array.from({ length: 8 }, () => aPlan());
  for (const plan of plans) {
    const created = await checkedFetch(`${stack.baseUrl}/v1/plans`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(plan) });
    t.is(created.status, 201);
  }
  const acks: Ack[] = [];
  const patchCopay = (plan: (typeof plans)[number], version: number, copay: number) =>
    checkedFetch(`${stack.baseUrl}/v1/plans/${plan.objectId}`, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/json-patch+json', 'if-match': `"v${version}"` },
      body: JSON.stringify([{ op: 'replace', path: '/planCostShares/copay', value: copay }]),
    });
  // Each plan's first PATCH before the load starts, so the load's window is not spent on the
  // OpenAPI contract checker compiling its validators for this operation.
  for (const [index, plan] of plans.entries()) {
    t.is((await patchCopay(plan, 1, index * 10_000)).status, 200);
    acks.push({ planId: plan.objectId, version: 2, copay: index * 10_000 });
  }
  let failures = 0;
  let running = true;
  // One writer per plan: PATCH the copay again and again, each with the ETag it last got.
  const writers = plans.map(async (plan, index) => {
    let version = 2;
    for (let copay = index * 10_000 + 1; running; copay += 1) {
      try {
        const response = await patchCopay(plan, version, copay);
        if (response.status !== 200) throw new Error(`status ${response.status}`);
        version = Number(response.headers.get('x-plan-version'));
        acks.push({ planId: plan.objectId, version, copay });
      } catch (error) {
        if (error instanceof ContractViolation) throw error; // the api answered, but not as documented
        failures += 1;
        return; // the api is gone
      }
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await stack.kill('api', 'SIGKILL');
  running = false;
  await Promise.all(writers);
  t.log(`${acks.length - plans.length} writes acknowledged under load before SIGKILL, ${failures} cut off`);
  t.true(acks.length - plans.length > 20, 'the load was real');

  await stack.restart('api');
  const redis = connectStackRedis(stack.env);
  const log = new RedisEventLog(redis, createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: Number(stack.env.PARTITIONS) }));
  try {
    for (const ack of acks) {
      const [event] = await log.events({ org: 'example.com', planId: ack.planId }, { from: ack.version, to: ack.version });
      t.deepEqual(event?.patch, [{ op: 'replace', path: '/planCostShares/copay', value: ack.copay }], `${ack.planId}@${ack.version} is in the log`);
    }
    for (const plan of plans) {
      const events = await log.events(refOfPlan(plan));
      const head = await log.head(refOfPlan(plan));
      t.deepEqual(foldPlan(events), { version: head?.version, document: head?.document }, 'the head is exactly the fold of the log');
      const read = await checkedFetch(`${stack.baseUrl}/v1/plans/${plan.objectId}`, { headers });
      t.is(read.headers.get('x-plan-version'), String(head?.version), 'the restarted api reads the last write');
    }
  } finally {
    redis.disconnect();
  }
});
