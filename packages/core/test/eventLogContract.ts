import type { TestFn } from 'ava';
import { EVENT_SCHEMA_VERSION, VersionConflict, foldPlan, type EventLog, type PlanDocument, type PlanEvent } from '../src/index.js';
import { aPlan } from './planMother.js';

/** One contract for every EventLog adapter: the in-memory twin and Redis run the same cases. */
export function eventLogContract(test: TestFn<unknown>, name: string, makeLog: (options?: { snapshotEvery?: number }) => Promise<EventLog>): void {
  const event = (planId: string, version: number, type: PlanEvent['type'], patch: PlanEvent['patch']): PlanEvent => ({
    planId,
    version,
    type,
    patch,
    actor: 'tester',
    org: 'example.com',
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
    t.deepEqual(await log.head(plan.objectId), { planId: plan.objectId, version: 2, document: changed, org: 'example.com', at: patched.at });
    t.deepEqual(await log.events(plan.objectId), [created, patched]);
    t.deepEqual(await log.events(plan.objectId, { from: 2 }), [patched]);
    t.deepEqual(await log.events(plan.objectId, { to: 1 }), [created]);
    t.deepEqual(foldPlan(await log.events(plan.objectId)).document, changed);
  });

  test(`${name} › an empty range (to below from, or to 0) holds no events, and version 0 is nothing`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    await log.append({ event: event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), document: plan });
    await log.append({ event: event(plan.objectId, 2, 'patched', [{ op: 'replace', path: '/planType', value: 'x' }]), document: { ...plan, planType: 'x' } });
    t.deepEqual(await log.events(plan.objectId, { from: 1, to: 0 }), []);
    t.deepEqual(await log.events(plan.objectId, { to: 0 }), []);
    t.deepEqual(await log.events(plan.objectId, { from: 2, to: 1 }), []);
    t.deepEqual(await log.stateAt(plan.objectId, 0), { version: 0, document: null });
  });

  test(`${name} › a stale expected version is refused and changes nothing`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    await log.append({ event: event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), document: plan });
    const error = await t.throwsAsync(log.append({ event: event(plan.objectId, 1, 'created', []), document: plan }), { instanceOf: VersionConflict });
    t.is(error?.currentVersion, 1);
    await t.throwsAsync(log.append({ event: event(plan.objectId, 3, 'patched', []), document: plan }), { instanceOf: VersionConflict });
    t.is((await log.events(plan.objectId)).length, 1);
    t.is((await log.head(plan.objectId))?.version, 1);
  });

  test(`${name} › a delete keeps the version so a re-create continues the sequence`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    await log.append({ event: event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), document: plan });
    await log.append({ event: event(plan.objectId, 2, 'deleted', []), document: null });
    t.like(await log.head(plan.objectId), { planId: plan.objectId, version: 2, document: null, org: 'example.com' });
    await log.append({ event: event(plan.objectId, 3, 'created', [{ op: 'add', path: '', value: plan }]), document: plan });
    t.is((await log.head(plan.objectId))?.version, 3);
    t.deepEqual((await log.events(plan.objectId)).map((e) => e.type), ['created', 'deleted', 'created']);
  });

  test(`${name} › an unknown plan has no head and no events`, async (t) => {
    const log = await makeLog();
    t.is(await log.head('no-such-plan'), null);
    t.deepEqual(await log.events('no-such-plan'), []);
  });

  test(`${name} › concurrent appends at one version: exactly one wins`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => log.append({ event: event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: { ...plan, planType: `t${i}` } }]), document: plan })),
    );
    t.is(attempts.filter((a) => a.status === 'fulfilled').length, 1);
    t.true(attempts.filter((a) => a.status === 'rejected').every((a) => (a as PromiseRejectedResult).reason instanceof VersionConflict));
    t.is((await log.events(plan.objectId)).length, 1);
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
      const state = await log.stateAt(plan.objectId, version);
      t.is(state.version, version);
      t.is(state.document?.planType, version === 1 ? 'inNetwork' : `type-${version}`);
    }
  });

  test(`${name} › versionAt finds the version in force at a time`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    await appendVersions(log, plan, 12);
    // event(…, version) happens at 2026-01-01T00:00:<version>s
    t.is(await log.versionAt(plan.objectId, new Date(Date.UTC(2026, 0, 1, 0, 0, 0))), 0);
    t.is(await log.versionAt(plan.objectId, new Date(Date.UTC(2026, 0, 1, 0, 0, 10, 500))), 10);
    t.is(await log.versionAt(plan.objectId, new Date(Date.UTC(2027, 0, 1))), 12);
  });

  test(`${name} › an idempotency key makes a second append with it a replay, appending nothing`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    const claim = { key: '["dev-writer","k1"]', fingerprint: 'f1', ttlSeconds: 60 };
    const first = await log.append({ event: event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), document: plan, idempotency: claim });
    t.is(first.kind, 'appended');
    const again = await log.append({ event: event(plan.objectId, 2, 'patched', []), document: plan, idempotency: claim });
    t.deepEqual(again, { kind: 'replayed', record: { fingerprint: 'f1', version: 1, position: first.kind === 'appended' ? first.position : '', partition: first.kind === 'appended' ? first.partition : -1 } });
    t.is((await log.events(plan.objectId)).length, 1);
    t.like(await log.idempotencyRecord(plan.objectId, claim.key), { version: 1, fingerprint: 'f1' });
    t.is(await log.idempotencyRecord(plan.objectId, 'other'), null);
  });
}
