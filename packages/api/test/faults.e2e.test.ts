import test from 'ava';
import amqp from 'amqplib';
import { PROJECTION_NAMES } from '@planledger/projector/projections';
import { createBrokerTopology } from '@planledger/core/rabbitmq';
import { refOfPlan } from '@planledger/core';
import { createRedisKeys } from '@planledger/core/redis';
import { aPlan } from '../../core/test/planMother.js';
import { converged, writeLoad } from './stackLoad.js';
import { TEST_ES_URL } from '../../core/test/elasticTestContext.js';
import { apiClient } from './apiClient.js';
import { startStack } from './stackProcesses.js';
import { startTcpProxy } from './tcpProxy.js';
import { checkedFetch } from './contract/checkedFetch.js';

test('SIGKILL of the relay and of a projector holding unacked messages: after restart every projection equals the fold of the log', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const writer = await apiClient(stack.baseUrl, stack.env.OIDC_ISSUER ?? '', 'dev-writer');
  const load = writeLoad(writer);
  await new Promise((r) => setTimeout(r, 800));
  await stack.kill('relay', 'SIGKILL');
  await new Promise((r) => setTimeout(r, 300));
  await stack.restart('relay');
  await new Promise((r) => setTimeout(r, 800));
  await stack.kill('projector', 'SIGKILL');
  await new Promise((r) => setTimeout(r, 300));
  await stack.restart('projector');
  await new Promise((r) => setTimeout(r, 800));
  t.log(`${await load.stop()} writes acknowledged around two SIGKILLs`);
  await converged(stack, t);
});

test('Elasticsearch unreachable for a while under writes: the api keeps accepting writes, and projections converge after it returns', async (t) => {
  const proxy = await startTcpProxy(Number(new URL(TEST_ES_URL).port));
  const stack = await startStack({ ES_URL: `http://127.0.0.1:${proxy.port}`, ES_REQUEST_TIMEOUT_MS: '5000' });
  t.teardown(async () => {
    await stack.stop();
    await proxy.close();
  });
  const writer = await apiClient(stack.baseUrl, stack.env.OIDC_ISSUER ?? '', 'dev-writer');
  const load = writeLoad(writer);
  await new Promise((r) => setTimeout(r, 500));
  await proxy.cut();
  const before = Date.now();
  await new Promise((r) => setTimeout(r, 3000));
  const down = (await checkedFetch(`${stack.baseUrl}/health/ready`)).status;
  const search = await writer.get('/v1/search?planType=inNetwork');
  await proxy.restore();
  t.is(search.status, 503, 'search answers 503 problem+json, not 500, while Elasticsearch is away');
  t.regex(search.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const writes = await load.stop();
  t.is(down, 503, 'readiness reports Elasticsearch down');
  t.log(`${writes} writes acknowledged, ${Date.now() - before} ms of them without Elasticsearch`);
  t.true(writes > 30);
  const restored = Date.now();
  await converged(stack, t);
  t.log(`converged ${Date.now() - restored} ms after Elasticsearch returned`);
});

test('a poison event is recorded as a dead letter while other plans of its partition keep projecting', async (t) => {
  const stack = await startStack({ DELIVERY_LIMIT: '2' });
  t.teardown(() => stack.stop());
  const writer = await apiClient(stack.baseUrl, stack.env.OIDC_ISSUER ?? '', 'dev-writer');
  const admin = await apiClient(stack.baseUrl, stack.env.OIDC_ISSUER ?? '', 'dev-admin');
  const topology = createBrokerTopology({ namespace: stack.env.AMQP_NAMESPACE ?? '', partitions: Number(stack.env.PARTITIONS), deliveryLimit: 2, projections: PROJECTION_NAMES });
  const keys = createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: Number(stack.env.PARTITIONS) });
  const healthy = aPlan();
  const partition = keys.partitionOf(refOfPlan(healthy));
  // An event no projection can apply: its patch does not produce a plan.
  const poison = { planId: `poison-${healthy.objectId}`, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: 42 }], actor: 'x', org: 'example.com', at: new Date().toISOString(), requestId: 'r', schemaVersion: 1 };
  const connection = await amqp.connect(stack.env.AMQP_URL ?? '');
  const channel = await connection.createConfirmChannel();
  channel.publish(topology.exchange, topology.routingKey(partition), Buffer.from(JSON.stringify(poison)), { persistent: true, headers: { position: '1-0', partition } });
  await channel.waitForConfirms();

  const created = await writer.post('/v1/plans', healthy);
  const search = await writer.get<{ items: { planId: string }[] }>(`/v1/search?objectId=${healthy.objectId}&consistentWith=${encodeURIComponent(created.headers.get('x-consistency-token') ?? '')}`);
  t.deepEqual(search.body.items.map((item) => item.planId), [healthy.objectId], 'a plan behind the poison in the same partition got projected');
  type Letters = { deadLetters: { id: string; projection: string; planId: string; status: string; deliveryCount: number }[] };
  let letters: Letters['deadLetters'] = [];
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    letters = (await admin.get<Letters>('/v1/admin/dead-letters')).body.deadLetters;
    if (letters.length === PROJECTION_NAMES.length) break;
  }
  for (const projection of PROJECTION_NAMES) {
    const letter = letters.find((l) => l.projection === projection);
    t.like(letter, { id: `${projection}.${partition}.1-0`, planId: poison.planId, status: 'waiting', deliveryCount: 3 }, `${projection} recorded the poison once`);
    t.is((await channel.checkQueue(topology.deadLetterQueue(projection))).messageCount, 0, 'and acknowledged it: it is not also in the broker’s dead-letter queue');
  }
  const metrics = await (await fetch(`http://127.0.0.1:${stack.env.PROJECTOR_METRICS_PORT}/metrics`)).text();
  t.regex(metrics, /planledger_dead_letter_messages\{projection="search"\} 1/);
  await connection.close();
});
