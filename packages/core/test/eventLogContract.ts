import type { TestFn } from 'ava';
import { EVENT_SCHEMA_VERSION, VersionConflict, foldPlan, refOfPlan, type EventLog, type PlanDocument, type PlanEvent } from '../src/index.js';
import { aPlan } from './planMother.js';

/** One contract for every EventLog adapter: the in-memory twin and Redis run the same cases. */
export function eventLogContract(test: TestFn<unknown>, name: string, makeLog: (options?: { snapshotEvery?: number }) => Promise<EventLog>): void {
  const event = (planId: string, version: number, type: PlanEvent['type'], patch: PlanEvent['patch'], org = 'example.com'): PlanEvent => ({
    planId,
    version,
    type,
    patch,
    actor: 'tester',
    org,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, version)).toISOString(),
    requestId: `req-${version}`,
    schemaVersion: EVENT_SCHEMA_VERSION,
  });

  test(`${name} › append then head and events return what was written`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    const created = event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]);
    await log.append({ event: created, document: plan });
    const changed: PlanDocument = { ...plan, planType: 'outOfNetwork' };
    const patched = event(plan.objectId, 2, 'patched', [{ op: 'replace', path: '/planType', value: 'outOfNetwork' }]);
    const result = await log.append({ event: patched, document: changed });
    t.is(result.kind, 'appended');
    t.regex(result.kind === 'appended' ? result.position : '', /^\d+-\d+$/);
    t.deepEqual(await log.head(refOfPlan(plan)), { planId: plan.objectId, version: 2, document: changed, org: 'example.com', at: patched.at });
    t.deepEqual(await log.events(refOfPlan(plan)), [created, patched]);
    t.deepEqual(await log.events(refOfPlan(plan), { from: 2 }), [patched]);
    t.deepEqual(await log.events(refOfPlan(plan), { to: 1 }), [created]);
    t.deepEqual(foldPlan(await log.events(refOfPlan(plan))).document, changed);
  });

  test(`${name} › an empty range (to below from, or to 0) holds no events, and version 0 is nothing`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    await log.append({ event: event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), document: plan });
    await log.append({ event: event(plan.objectId, 2, 'patched', [{ op: 'replace', path: '/planType', value: 'x' }]), document: { ...plan, planType: 'x' } });
    t.deepEqual(await log.events(refOfPlan(plan), { from: 1, to: 0 }), []);
    t.deepEqual(await log.events(refOfPlan(plan), { to: 0 }), []);
    t.deepEqual(await log.events(refOfPlan(plan), { from: 2, to: 1 }), []);
    t.deepEqual(await log.stateAt(refOfPlan(plan), 0), { version: 0, document: null });
  });

  test(`${name} › a stale expected version is refused and changes nothing`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    await log.append({ event: event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), document: plan });
    const error = await t.throwsAsync(log.append({ event: event(plan.objectId, 1, 'created', []), document: plan }), { instanceOf: VersionConflict });
    t.is(error?.currentVersion, 1);
    await t.throwsAsync(log.append({ event: event(plan.objectId, 3, 'patched', []), document: plan }), { instanceOf: VersionConflict });
    t.is((await log.events(refOfPlan(plan))).length, 1);
    t.is((await log.head(refOfPlan(plan)))?.version, 1);
  });

  test(`${name} › a delete keeps the version so a re-create continues the sequence`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    await log.append({ event: event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), document: plan });
    await log.append({ event: event(plan.objectId, 2, 'deleted', []), document: null });
    t.like(await log.head(refOfPlan(plan)), { planId: plan.objectId, version: 2, document: null, org: 'example.com' });
    await log.append({ event: event(plan.objectId, 3, 'created', [{ op: 'add', path: '', value: plan }]), document: plan });
    t.is((await log.head(refOfPlan(plan)))?.version, 3);
    t.deepEqual((await log.events(refOfPlan(plan))).map((e) => e.type), ['created', 'deleted', 'created']);
  });

  test(`${name} › an unknown plan has no head and no events`, async (t) => {
    const log = await makeLog();
    t.is(await log.head({ org: 'example.com', planId: 'no-such-plan' }), null);
    t.deepEqual(await log.events({ org: 'example.com', planId: 'no-such-plan' }), []);
  });

  test(`${name} › concurrent appends at one version: exactly one wins`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => log.append({ event: event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: { ...plan, planType: `t${i}` } }]), document: plan })),
    );
    t.is(attempts.filter((a) => a.status === 'fulfilled').length, 1);
    t.true(attempts.filter((a) => a.status === 'rejected').every((a) => (a as PromiseRejectedResult).reason instanceof VersionConflict));
    t.is((await log.events(refOfPlan(plan))).length, 1);
  });

  const appendVersions = async (log: EventLog, plan: PlanDocument, count: number) => {
    await log.append({ event: event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), document: plan });
    for (let version = 2; version <= count; version += 1) {
      const document = { ...plan, planType: `type-${version}` };
      await log.append({ event: event(plan.objectId, version, 'patched', [{ op: 'replace', path: '/planType', value: `type-${version}` }]), document });
    }
  };

  test(`${name} › stateAt folds from the nearest snapshot to any version`, async (t) => {
    const log = await makeLog({ snapshotEvery: 4 });
    const plan = aPlan();
    await appendVersions(log, plan, 11);
    for (const version of [1, 3, 4, 5, 8, 11]) {
      const state = await log.stateAt(refOfPlan(plan), version);
      t.is(state.version, version);
      t.is(state.document?.planType, version === 1 ? 'inNetwork' : `type-${version}`);
    }
  });

  test(`${name} › versionAt finds the version in force at a time`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    await appendVersions(log, plan, 12);
    // event(…, version) happens at 2026-01-01T00:00:<version>s
    t.is(await log.versionAt(refOfPlan(plan), new Date(Date.UTC(2026, 0, 1, 0, 0, 0))), 0);
    t.is(await log.versionAt(refOfPlan(plan), new Date(Date.UTC(2026, 0, 1, 0, 0, 10, 500))), 10);
    t.is(await log.versionAt(refOfPlan(plan), new Date(Date.UTC(2027, 0, 1))), 12);
  });

  test(`${name} › an idempotency key makes a second append with it a replay, appending nothing`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    const claim = { key: '["dev-writer","k1"]', fingerprint: 'f1', ttlSeconds: 60 };
    const first = await log.append({ event: event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), document: plan, idempotency: claim });
    t.is(first.kind, 'appended');
    const again = await log.append({ event: event(plan.objectId, 2, 'patched', []), document: plan, idempotency: claim });
    t.deepEqual(again, { kind: 'replayed', record: { fingerprint: 'f1', version: 1, position: first.kind === 'appended' ? first.position : '', partition: first.kind === 'appended' ? first.partition : -1 } });
    t.is((await log.events(refOfPlan(plan))).length, 1);
    t.like(await log.idempotencyRecord(refOfPlan(plan), claim.key), { version: 1, fingerprint: 'f1' });
    t.is(await log.idempotencyRecord(refOfPlan(plan), 'other'), null);
  });

  test(`${name} › the same objectId in two orgs is two plans: separate heads, histories and versions`, async (t) => {
    const log = await makeLog();
    const ours = aPlan();
    const theirs = aPlan({ id: ours.objectId, org: 'other.example' });
    await log.append({ event: event(ours.objectId, 1, 'created', [{ op: 'add', path: '', value: ours }]), document: ours });
    await log.append({ event: event(ours.objectId, 1, 'created', [{ op: 'add', path: '', value: theirs }], 'other.example'), document: theirs });
    await log.append({ event: event(ours.objectId, 2, 'deleted', [], 'other.example'), document: null });
    t.like(await log.head(refOfPlan(ours)), { version: 1, document: ours, org: 'example.com' });
    t.like(await log.head(refOfPlan(theirs)), { version: 2, document: null, org: 'other.example' });
    t.deepEqual((await log.events(refOfPlan(ours))).map((e) => [e.org, e.type]), [['example.com', 'created']]);
    t.deepEqual((await log.events(refOfPlan(theirs))).map((e) => [e.org, e.type]), [['other.example', 'created'], ['other.example', 'deleted']]);
    t.deepEqual((await log.stateAt(refOfPlan(ours), 1)).document, ours);
    t.is(await log.head({ org: 'third.example', planId: ours.objectId }), null);
  });

  test(`${name} › an idempotency key is claimed once whatever plan it names; only its own fingerprint releases it`, async (t) => {
    const log = await makeLog();
    const key = `["dev-writer","claim-${Math.random()}"]`;
    const first = { fingerprint: 'f1', plan: { org: 'example.com', planId: 'a' } };
    t.is(await log.claimIdempotencyKey(key, first, 60), null);
    t.deepEqual(await log.claimIdempotencyKey(key, { fingerprint: 'f2', plan: { org: 'example.com', planId: 'b' } }, 60), first);
    t.deepEqual(await log.claimIdempotencyKey(key, first, 60), first, 'the same request again sees its own claim');
    await log.releaseIdempotencyKey(key, 'f2');
    t.deepEqual(await log.claimIdempotencyKey(key, { fingerprint: 'f2', plan: { org: 'example.com', planId: 'b' } }, 60), first, 'another fingerprint cannot release it');
    await log.releaseIdempotencyKey(key, 'f1');
    t.is(await log.claimIdempotencyKey(key, { fingerprint: 'f2', plan: { org: 'example.com', planId: 'b' } }, 60), null, 'released, the key is free');
  });
}
