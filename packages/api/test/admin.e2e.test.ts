import test from 'ava';
import amqp from 'amqplib';
import { planKey } from '@planledger/core';
import { concreteIndex, temporalAlias } from '@planledger/core/elasticsearch';
import { RedisPlanDirectory } from '@planledger/core/redis';
import { aPlan } from '../../core/test/planMother.js';
import { connectTestElastic } from '../../core/test/elasticTestContext.js';
import { apiClient, type ApiClient } from './apiClient.js';
import { waitForProjections } from './stackLoad.js';
import { startStack, type Stack, connectStackRedis } from './stackProcesses.js';

interface Job {
  id: string;
  state: string;
  phase: string;
  kind: string;
  eventsDone: number;
  eventsTotal: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
  finishedAt: string | null;
  result: Record<string, unknown> | null;
  error: string | null;
  href: string;
}

interface Counts {
  missing: number;
  extra: number;
  staleVersion: number;
  differentContent: number;
}

let stack: Stack;
let admin: ApiClient;
let writer: ApiClient;
const es = connectTestElastic();
const ORG = 'example.com';
const plans: { id: string; partition: number; position: string }[] = [];

test.before(async () => {
  stack = await startStack({ ADMIN_JOB_LEASE_MS: '1500' });
  admin = await apiClient(stack.baseUrl, stack.env.OIDC_ISSUER ?? '', 'dev-admin');
  writer = await apiClient(stack.baseUrl, stack.env.OIDC_ISSUER ?? '', 'dev-writer');
  for (let i = 0; i < 200; i += 1) {
    const plan = aPlan({ copay: i });
    const created = await writer.post('/v1/plans', plan);
    const [partition, position] = (created.headers.get('x-consistency-token') ?? '').split(':');
    plans.push({ id: plan.objectId, partition: Number(partition), position: position ?? '' });
    if (i % 2 === 0) await writer.patch(`/v1/plans/${plan.objectId}`, { planType: `type-${i}` }, 'application/merge-patch+json', '"v1"');
  }
  await waitForProjections(stack);
});
test.after.always(async () => {
  await stack?.stop();
  await es.close();
});

const alias = () => stack.env.ES_ALIAS ?? '';

async function waitForJob(id: string, done: (job: Job) => boolean = (job) => job.state !== 'running', seen: Job[] = []): Promise<Job> {
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const response = await admin.get<Job>(`/v1/admin/jobs/${id}`);
    if (response.status === 200) {
      seen.push(response.body);
      if (done(response.body)) return response.body;
    }
  }
  throw new Error(`job ${id} did not end: ${JSON.stringify(seen.at(-1))}`);
}

async function startJob(path: string, body?: unknown): Promise<Job> {
  const response = body === undefined ? await admin.request<Job>('POST', path) : await admin.request<Job>('POST', path, { body });
  if (response.status !== 202) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

test('GET /v1/admin/projections › each projection’s target, events applied, lag per partition, dead letters and job', async (t) => {
  const response = await admin.get<{ projections: { name: string; target: string; eventsApplied: number; lag: number; partitions: { partition: number; checkpoint: string | null; head: string | null; lag: number }[]; deadLetters: number; job: unknown }[] }>('/v1/admin/projections');
  t.is(response.status, 200);
  const byName = new Map(response.body.projections.map((projection) => [projection.name, projection]));
  t.deepEqual([...byName.keys()].sort(), ['asof', 'directory', 'search']);
  const search = byName.get('search')!;
  t.is(search.target, (await concreteIndex(es, alias())) ?? '');
  t.is(search.eventsApplied, 300, '200 creates and 100 patches');
  t.is(search.lag, 0);
  t.is(search.partitions.length, 4);
  for (const partition of search.partitions) t.is(partition.checkpoint, partition.head, `partition ${partition.partition} is caught up`);
  t.is(search.deadLetters, 0);
  t.is(search.job, null);
  t.regex(byName.get('directory')!.target, /^generation /);
  t.is((await writer.get('/v1/admin/projections')).status, 403, 'needs the admin scope');
});

test('POST …/rebuilds › 202 with Location, a second is 409 job-running, progress with a total known up front, then the result', async (t) => {
  const before = await concreteIndex(es, alias());
  const response = await admin.request<Job>('POST', '/v1/admin/projections/search/rebuilds');
  t.is(response.status, 202);
  t.is(response.headers.get('location'), response.body.href);
  t.like(response.body, { kind: 'rebuild', state: 'running', finishedAt: null, result: null, error: null });
  const second = await admin.request<{ type: string; status: number }>('POST', '/v1/admin/projections/search/rebuilds');
  t.is(second.status, 409);
  t.is(second.body.type, '/problems/job-running');
  t.regex(second.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const verifying = await admin.request<{ type: string }>('POST', '/v1/admin/projections/search/verifications');
  t.is(verifying.status, 409, 'any job of the projection blocks another');
  const seen: Job[] = [];
  const end = await waitForJob(response.body.id, undefined, seen);
  t.is(end.state, 'succeeded', JSON.stringify(end));
  t.true(seen.some((job) => job.eventsTotal >= 300), 'the total was known while it ran');
  t.true(end.eventsDone >= 300 && end.eventsTotal >= 300);
  t.true(end.eventsPerSecond > 0);
  t.not(end.finishedAt, null);
  const after = await concreteIndex(es, alias());
  t.like(end.result, { target: after, replaced: before });
  t.true(typeof end.result?.events === 'number' && typeof end.result?.seconds === 'number');
  const phases = end.result?.phases as Record<string, number>;
  t.deepEqual(Object.keys(phases), ['create', 'replay', 'switch', 'catchUp', 'drop'], 'each step of the rebuild is timed');
  const phaseSum = Object.values(phases).reduce((sum, seconds) => sum + seconds, 0);
  t.true(Object.values(phases).every((seconds) => seconds >= 0) && phaseSum <= (end.result?.seconds as number) + 0.001, JSON.stringify(end.result));
  t.not(after, before);
  const listed = await admin.get<{ jobs: Job[] }>('/v1/admin/jobs?projection=search');
  t.is(listed.body.jobs[0]?.id, end.id, 'newest first');
});

test('DELETE /v1/admin/jobs/{id} › a cancelled rebuild ends cancelled, leaves the live index in place and drops its own', async (t) => {
  const live = await concreteIndex(es, alias());
  const job = await startJob('/v1/admin/projections/search/rebuilds');
  const cancel = await admin.request<Job>('DELETE', `/v1/admin/jobs/${job.id}`);
  t.is(cancel.status, 202);
  const end = await waitForJob(job.id);
  t.is(end.state, 'cancelled', JSON.stringify(end));
  t.is(await concreteIndex(es, alias()), live, 'the alias still names the live index');
  // The search index's generations, not the temporal index beside them (`<alias>-asof-…`).
  const indices = Object.keys(await es.indices.get({ index: `${alias()}-*` })).filter((index) => !index.startsWith(temporalAlias(alias())));
  t.deepEqual(indices, [live ?? ''], 'the unfinished generation is gone');
  const verify = await waitForJob((await startJob('/v1/admin/projections/search/verifications')).id);
  t.like(verify.result, { counts: { missing: 0, extra: 0, staleVersion: 0, differentContent: 0 } });
});

test('a job whose api died › reads as interrupted after the restart, and the projection is free again', async (t) => {
  const job = await startJob('/v1/admin/projections/directory/rebuilds');
  await stack.kill('api', 'SIGKILL');
  await stack.restart('api');
  const end = await waitForJob(job.id, (seen) => seen.state !== 'running');
  t.is(end.state, 'interrupted', JSON.stringify(end));
  t.regex(end.error ?? '', /stopped/);
  t.not(end.finishedAt, null);
  const again = await waitForJob((await startJob('/v1/admin/projections/directory/rebuilds')).id);
  t.is(again.state, 'succeeded', JSON.stringify(again));
});

test('verify and repair › injected drift in the search index is found by kind, and repair fixes exactly those plans', async (t) => {
  const [a, b] = plans;
  // Elasticsearch remembers a delete's version for index.gc_deletes (60 s); the repair waits that out, here for 2 s.
  await es.indices.putSettings({ index: alias(), settings: { 'index.gc_deletes': '2s' } });
  const keyA = planKey({ org: ORG, planId: a!.id });
  const keyB = planKey({ org: ORG, planId: b!.id });
  await es.delete({ index: alias(), id: keyA, routing: keyA, refresh: true });
  const docB = await es.get<Record<string, unknown>>({ index: alias(), id: keyB, routing: keyB });
  await es.index({ index: alias(), id: keyB, routing: keyB, version: docB._version!, version_type: 'external_gte', document: { ...docB._source, planType: 'tampered' }, refresh: true });
  const ghost = planKey({ org: ORG, planId: 'ghost-plan' });
  await es.index({ index: alias(), id: ghost, routing: ghost, version: 1, version_type: 'external', document: { ...docB._source, planId: 'ghost-plan', planKey: ghost, objectId: 'ghost-plan' }, refresh: true });

  const verify = await waitForJob((await startJob('/v1/admin/projections/search/verifications')).id);
  t.is(verify.state, 'succeeded', JSON.stringify(verify));
  const result = verify.result as { plans: number; counts: Counts; mismatches: { org: string; planId: string; kind: string; expectedVersion: number | null; actualVersion: number | null; detail: string }[] };
  t.is(result.plans, 200);
  t.deepEqual(result.counts, { missing: 1, extra: 1, staleVersion: 0, differentContent: 1 });
  t.deepEqual(result.mismatches.map((m) => [m.planId, m.kind]).sort(), [[a!.id, 'missing'], [b!.id, 'differentContent'], ['ghost-plan', 'extra']].sort());
  t.like(result.mismatches.find((m) => m.kind === 'missing'), { org: ORG, actualVersion: null });

  const repair = await admin.request<Job>('POST', '/v1/admin/projections/search/repairs', { body: { verification: verify.id } });
  t.is(repair.status, 202);
  const repaired = await waitForJob(repair.body.id);
  t.is(repaired.state, 'succeeded', JSON.stringify(repaired));
  t.like(repaired.result, { repaired: 3, verification: { plans: 3, counts: { missing: 0, extra: 0, staleVersion: 0, differentContent: 0 } } });
  const again = await waitForJob((await startJob('/v1/admin/projections/search/verifications')).id);
  t.like(again.result, { plans: 200, counts: { missing: 0, extra: 0, staleVersion: 0, differentContent: 0 } });
  const found = await writer.get<{ items: { planId: string }[] }>(`/v1/search?objectId=${encodeURIComponent(a!.id)}`);
  t.deepEqual(found.body.items.map((item) => item.planId), [a!.id], 'the deleted document is back');
});

test('verify and repair › drift in the temporal index (a version gone, one altered) is found and repaired; asOf finds the plan again', async (t) => {
  const [, , c, d] = plans;
  const index = temporalAlias(alias());
  await es.indices.putSettings({ index, settings: { 'index.gc_deletes': '2s' } });
  const keyC = planKey({ org: ORG, planId: c!.id });
  const keyD = planKey({ org: ORG, planId: d!.id });
  // Plan c was patched (planType): its plan fields have a closed version @1 and an open one @2.
  await es.delete({ index, id: `${keyC}@2`, routing: keyC, refresh: true });
  const docD = await es.get<Record<string, unknown>>({ index, id: `${keyD}@1`, routing: keyD });
  await es.index({ index, id: `${keyD}@1`, routing: keyD, version: docD._version!, version_type: 'external_gte', document: { ...docD._source, planType: 'tampered' }, refresh: true });

  const verify = await waitForJob((await startJob('/v1/admin/projections/asof/verifications')).id);
  t.is(verify.state, 'succeeded', JSON.stringify(verify));
  const result = verify.result as { counts: Counts; mismatches: { planId: string; kind: string }[] };
  t.like(result.counts, { missing: 1, differentContent: 1, extra: 0 });
  t.deepEqual(result.mismatches.map((m) => [m.planId, m.kind]).sort(), [[c!.id, 'missing'], [d!.id, 'differentContent']].sort());

  const repaired = await waitForJob((await startJob('/v1/admin/projections/asof/repairs', { verification: verify.id })).id);
  t.is(repaired.state, 'succeeded', JSON.stringify(repaired));
  t.like(repaired.result, { repaired: 2, verification: { counts: { missing: 0, extra: 0, staleVersion: 0, differentContent: 0 } } });
  const auditor = await apiClient(stack.baseUrl, stack.env.OIDC_ISSUER ?? '', 'dev-auditor');
  const now = new Date().toISOString();
  const found = await auditor.get<{ items: { planId: string; version: number }[] }>(`/v1/search?objectId=${encodeURIComponent(c!.id)}&asOf=${encodeURIComponent(now)}`);
  t.deepEqual(found.body.items.map((item) => [item.planId, item.version]), [[c!.id, 2]], 'the plan as it is now is found as of now again');
});

test('verify and repair › a directory entry removed or altered behind the projector’s back is found and repaired (no body: verify first)', async (t) => {
  const [, , c, d] = plans;
  const redis = connectStackRedis(stack.env);
  t.teardown(() => redis.disconnect());
  const prefix = stack.env.KEY_PREFIX ?? '';
  const generation = (await redis.get(RedisPlanDirectory.generationKey(prefix))) ?? '0';
  const orgKey = (name: string) => `${prefix}:directory:g${generation}:{org:${encodeURIComponent(ORG)}}:${name}`;
  await redis.zrem(orgKey('order'), c!.id);
  await redis.hdel(orgKey('summaries'), c!.id);
  const summary = JSON.parse((await redis.hget(orgKey('summaries'), d!.id)) ?? '{}') as Record<string, unknown>;
  await redis.hset(orgKey('summaries'), d!.id, JSON.stringify({ ...summary, planType: 'tampered' }));

  const verify = await waitForJob((await startJob('/v1/admin/projections/directory/verifications')).id);
  t.like(verify.result, { counts: { missing: 1, extra: 0, staleVersion: 0, differentContent: 1 } });
  const repaired = await waitForJob((await startJob('/v1/admin/projections/directory/repairs')).id);
  t.is(repaired.state, 'succeeded', JSON.stringify(repaired));
  t.like(repaired.result, { repaired: 2, verification: { counts: { missing: 0, extra: 0, staleVersion: 0, differentContent: 0 } } });
  t.is(JSON.parse((await redis.hget(orgKey('summaries'), d!.id)) ?? '{}').planType, summary.planType);
  t.not(await redis.zscore(orgKey('order'), c!.id), null, 'listed again');
});

/** Puts a message in the search projection's partition queue that the projector cannot apply (a version the log does not hold yet). */
async function publishPoison(plan: { id: string; partition: number; position: string }, version: number): Promise<void> {
  const connection = await amqp.connect(stack.env.AMQP_URL ?? '');
  const channel = await connection.createConfirmChannel();
  const event = { planId: plan.id, org: ORG, version, type: 'patched', patch: [{ op: 'replace', path: '/planType', value: 'poison' }], actor: 'test', at: new Date().toISOString(), requestId: 'poison', schemaVersion: 1 };
  // The position of the plan's create: already behind the checkpoint, so the checkpoint never moves for it.
  channel.sendToQueue(`${stack.env.AMQP_NAMESPACE}.search.p${plan.partition}`, Buffer.from(JSON.stringify(event)), { persistent: true, headers: { position: plan.position, partition: plan.partition } });
  await channel.waitForConfirms();
  await connection.close();
}

interface DeadLetterView {
  id: string;
  projection: string;
  partition: number;
  org: string;
  planId: string;
  version: number;
  error: string;
  deliveryCount: number;
  deadLetteredAt: string;
  status: string;
  discardReason?: string;
  discardedBy?: string;
  event?: { version: number };
}

async function waitForDeadLetter(planId: string, status = 'waiting'): Promise<DeadLetterView> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const page = await admin.get<{ deadLetters: DeadLetterView[] }>('/v1/admin/dead-letters?projection=search');
    const found = page.body.deadLetters.find((letter) => letter.planId === planId && letter.status === status);
    if (found) return found;
  }
  throw new Error(`no ${status} dead letter of ${planId}`);
}

const deadLetterGauge = async () => {
  const text = await (await fetch(`http://127.0.0.1:${stack.env.PROJECTOR_METRICS_PORT}/metrics`)).text();
  return Number(/planledger_dead_letter_messages\{projection="search"\} (\d+)/.exec(text)?.[1] ?? NaN);
};

test('dead letters › a poison event is recorded with its error and delivery count, shown, counted, retried once it can apply', async (t) => {
  const plan = plans[10]!; // at version 2 (even plans were patched once)
  await publishPoison(plan, 4);
  const letter = await waitForDeadLetter(plan.id);
  t.like(letter, { projection: 'search', partition: plan.partition, org: ORG, version: 4, status: 'waiting' });
  t.regex(letter.error, /no event/);
  t.true(letter.deliveryCount >= 5, `delivered ${letter.deliveryCount} times`);
  const shown = await admin.get<DeadLetterView>(`/v1/admin/dead-letters/${encodeURIComponent(letter.id)}`);
  t.is(shown.body.event?.version, 4);
  const state = await admin.get<{ projections: { name: string; deadLetters: number }[] }>('/v1/admin/projections');
  t.is(state.body.projections.find((p) => p.name === 'search')?.deadLetters, 1);
  t.is(await deadLetterGauge(), 1, 'the projector’s metric counts it');

  // The plan moves on to versions 3 and 4 in the log; the retried event is then settled by the version rule.
  t.is((await writer.patch(`/v1/plans/${plan.id}`, { planType: 'third' }, 'application/merge-patch+json', '"v2"')).status, 200);
  t.is((await writer.patch(`/v1/plans/${plan.id}`, { planType: 'fourth' }, 'application/merge-patch+json', '"v3"')).status, 200);
  await waitForProjections(stack);
  const retried = await admin.request<DeadLetterView>('POST', `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}/retry`);
  t.is(retried.status, 202);
  t.is(retried.body.status, 'retried');
  await waitForProjections(stack);
  await new Promise((r) => setTimeout(r, 1000));
  t.is((await admin.get<DeadLetterView>(`/v1/admin/dead-letters/${encodeURIComponent(letter.id)}`)).body.status, 'retried', 'it applied: not dead-lettered again');
  t.is(await deadLetterGauge(), 0);
  const verify = await waitForJob((await startJob('/v1/admin/projections/search/verifications')).id);
  t.like(verify.result, { counts: { missing: 0, extra: 0, staleVersion: 0, differentContent: 0 } });
});

test('dead letters › discard needs a reason and records it with the admin; retry --all of nothing retries 0; bad input is a 4xx', async (t) => {
  const plan = plans[11]!; // at version 1
  await publishPoison(plan, 5);
  const letter = await waitForDeadLetter(plan.id);
  const path = `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}/discard`;
  const missing = await admin.request<{ type: string; violations: { pointer: string }[] }>('POST', path, { body: {} });
  t.is(missing.status, 400);
  t.is(missing.body.violations[0]?.pointer, '/reason');
  t.is((await admin.request('POST', path, { body: { reason: 'x'.repeat(501) } })).status, 400);
  const discarded = await admin.request<DeadLetterView>('POST', path, { body: { reason: 'a test event, never real' } });
  t.is(discarded.status, 200);
  t.like(discarded.body, { status: 'discarded', discardReason: 'a test event, never real', discardedBy: 'dev-admin' });
  t.is((await admin.get<DeadLetterView>(`/v1/admin/dead-letters/${encodeURIComponent(letter.id)}`)).body.status, 'discarded');
  const all = await admin.request<{ retried: number }>('POST', '/v1/admin/dead-letters/retry', { body: { projection: 'search' } });
  t.is(all.status, 202);
  t.is(all.body.retried, 0);
  t.is((await admin.get('/v1/admin/dead-letters/nope')).status, 404);
  t.is((await admin.get('/v1/admin/dead-letters?limit=0')).status, 400);
  t.is((await admin.get('/v1/admin/dead-letters?projection=nope')).status, 400);
  const page = await admin.get<{ deadLetters: DeadLetterView[]; next: string | null }>('/v1/admin/dead-letters?limit=1');
  t.is(page.body.deadLetters.length, 1);
  t.truthy(page.body.next);
  const nextPage = await admin.get<{ deadLetters: DeadLetterView[] }>(page.body.next!);
  t.not(nextPage.body.deadLetters[0]?.id, page.body.deadLetters[0]?.id, 'the next page goes on');
  t.is((await admin.request('POST', '/v1/admin/projections/nope/rebuilds')).status, 404);
  t.is((await admin.get('/v1/admin/jobs/nope')).status, 404);
  t.is((await admin.request('POST', '/v1/admin/projections/search/repairs', { body: { verification: 'nope' } })).status, 404);
  t.is((await admin.request('POST', '/v1/admin/projections/search/repairs', { body: { other: 1 } })).status, 400);
});
