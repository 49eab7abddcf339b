import test from 'ava';
import { Redis } from 'ioredis';
import { createPlanService, refOfPlan, WriteOutcomeUnknown, type WriteContext } from '@planledger/core';
import { createRedisKeys, RedisEventLog } from '@planledger/core/redis';
import { aPlan } from '../../core/test/planMother.js';
import { deleteKeys, randomPrefix, TEST_REDIS_URL } from '../../core/test/redisTestContext.js';
import { apiRedisOptions } from '../src/redisClientOptions.js';
import { startTcpProxy, type FaultMode } from './tcpProxy.js';

const TIMEOUT_MS = 500;
const context = (key: string | null): WriteContext => ({
  actor: { clientId: 'dev-writer', subject: 'dev-writer' },
  org: 'example.com',
  crossOrg: false,
  requestId: `req-${key ?? 'none'}`,
  ...(key === null ? {} : { idempotency: { key, fingerprint: `fp-${key}` } }),
});

/**
 * The api's Redis client and plan service over a fault proxy in front of the test Redis: one node
 * (TEST_REDIS_URL), also under test:cluster, since a proxy cannot stand in front of a cluster whose
 * nodes announce their own addresses. `direct` reads the same node, past the proxy.
 */
async function throughProxy(t: import('ava').ExecutionContext) {
  const proxy = await startTcpProxy(Number(new URL(TEST_REDIS_URL).port));
  const prefix = randomPrefix('partition');
  const client = new Redis(`redis://127.0.0.1:${proxy.port}`, apiRedisOptions(TIMEOUT_MS));
  client.on('error', () => undefined);
  const direct = new Redis(TEST_REDIS_URL);
  const keys = createRedisKeys({ prefix, partitions: 4 });
  const plans = createPlanService({ log: new RedisEventLog(client, keys), now: () => new Date() });
  t.teardown(async () => {
    client.disconnect();
    await proxy.close();
    await deleteKeys(direct, prefix);
    direct.disconnect();
  });
  return { proxy, client, plans, directLog: new RedisEventLog(direct, keys) };
}

/** How long a promise took to settle, and how. */
async function timed<T>(work: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = Date.now();
  try {
    return { ms: Date.now() - started, value: await work };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

const faults: Array<[string, FaultMode]> = [
  ['black-holed', { kind: 'drop' }],
  ['half-open (answers never come back)', { kind: 'half-open', stopped: 'toClient' }],
];

for (const [name, mode] of faults) {
  test(`api Redis client, ${name} › an append fails within the command timeout as outcome unknown, and may indeed land`, async (t) => {
    const { proxy, plans, directLog } = await throughProxy(t);
    t.is((await plans.create(aPlan(), context(null))).version, 1, 'the connection is up');
    proxy.setMode(mode);
    // A create without a key is one command, the append, so the fault meets it in flight.
    const plan = aPlan();
    const cut = await timed(plans.create(plan, context(null)));
    t.true(cut.error instanceof WriteOutcomeUnknown, `an unknown outcome, not a refusal: ${String(cut.error)}`);
    t.true(cut.ms < TIMEOUT_MS * 4, `answered in ${cut.ms} ms`);
    const read = await timed(plans.get(refOfPlan(plan), context(null)));
    t.truthy(read.error, 'a read fails too');
    t.true(read.ms < TIMEOUT_MS * 4, `read answered in ${read.ms} ms`);
    proxy.heal();
    // What was held (black hole) or ran unanswered (half-open) is in the log: claiming failure would have been false.
    const landed = await eventually(async () => (await directLog.events(refOfPlan(plan))).map((e) => e.version));
    t.deepEqual(landed, [1]);
    t.is((await eventually(() => plans.get(refOfPlan(plan), context(null)))).version, 1, 'the api client reads again');
  });
}

test('api Redis client, black-holed › a write with an Idempotency-Key fails fast; after healing the same key applies it exactly once', async (t) => {
  const { proxy, plans, directLog } = await throughProxy(t);
  const plan = aPlan();
  t.is((await plans.create(plan, context('k1'))).version, 1);
  proxy.setMode({ kind: 'drop' });
  const patch = () => plans.patch(refOfPlan(plan), 'merge', { planType: 'outOfNetwork' }, { ifMatch: ['"v1"'] }, context('k2'));
  const cut = await timed(patch());
  t.truthy(cut.error, 'no answer from the log is no success');
  t.true(cut.ms < TIMEOUT_MS * 4, `answered in ${cut.ms} ms`);
  proxy.heal();
  t.is((await eventually(patch)).version, 2);
  const events = await directLog.events(refOfPlan(plan));
  t.deepEqual(events.map((e) => [e.version, e.idempotencyKey]), [[1, 'k1'], [2, 'k2']], 'the write happened exactly once');
});

/** Retries `work` until it succeeds (the client reconnecting), at most 5 s. */
async function eventually<T>(work: () => Promise<T>): Promise<T> {
  for (const deadline = Date.now() + 5_000; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

test('api Redis client, connections reset › commands fail fast and the client reconnects once the network heals', async (t) => {
  const { proxy, client } = await throughProxy(t);
  t.is(await client.ping(), 'PONG');
  proxy.setMode({ kind: 'reset' });
  const cut = await timed(client.ping());
  t.truthy(cut.error);
  t.true(cut.ms < TIMEOUT_MS * 4, `answered in ${cut.ms} ms`);
  proxy.heal();
  t.is(await eventually(() => client.ping()), 'PONG');
});

test('api Redis client, added latency below the timeout › commands still succeed', async (t) => {
  const { proxy, client } = await throughProxy(t);
  t.is(await client.ping(), 'PONG');
  proxy.setMode({ kind: 'latency', latencyMs: TIMEOUT_MS / 5 });
  t.is(await client.set('latency-probe', '1', 'EX', 10), 'OK');
  t.is(await client.get('latency-probe'), '1');
  await client.del('latency-probe');
});
