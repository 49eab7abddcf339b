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
    const { documentJson, ...head } = (await log.head(refOfPlan(plan))) ?? {};
    t.deepEqual(head, { planId: plan.objectId, version: 2, document: changed, org: 'example.com', at: patched.at });
    // A log that hands out the document's stored text hands out that document's JSON.
    if (documentJson !== undefined) t.deepEqual(JSON.parse(documentJson), changed);
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

  const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
  const timed = (e: PlanEvent, ms: number): PlanEvent => ({ ...e, at: at(ms).toISOString() });

  test(`${name} › across several snapshot boundaries every version folds to what was written, and ranges read across them`, async (t) => {
    const log = await makeLog({ snapshotEvery: 10 });
    const plan = aPlan();
    await appendVersions(log, plan, 35);
    for (let version = 1; version <= 35; version += 1) {
      const state = await log.stateAt(refOfPlan(plan), version);
      t.is(state.version, version);
      t.is(state.document?.planType, version === 1 ? 'inNetwork' : `type-${version}`, `version ${version}`);
    }
    t.deepEqual((await log.events(refOfPlan(plan), { from: 8, to: 23 })).map((e) => e.version), Array.from({ length: 16 }, (_, i) => 8 + i));
    t.deepEqual((await log.events(refOfPlan(plan), { from: 30, to: 99 })).map((e) => e.version), [30, 31, 32, 33, 34, 35]);
    t.deepEqual(await log.events(refOfPlan(plan), { from: 36 }), []);
  });

  test(`${name} › a page in the middle of a long history is exactly those versions`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    await appendVersions(log, plan, 260);
    const page = await log.events(refOfPlan(plan), { from: 120, to: 139 });
    t.deepEqual(page.map((e) => e.version), Array.from({ length: 20 }, (_, i) => 120 + i));
    t.deepEqual(page[0]?.patch, [{ op: 'replace', path: '/planType', value: 'type-120' }]);
    t.is((await log.events(refOfPlan(plan))).length, 260);
    t.is((await log.stateAt(refOfPlan(plan), 250)).document?.planType, 'type-250');
    t.is((await log.stateAt(refOfPlan(plan), 199)).document?.planType, 'type-199');
  });

  test(`${name} › versionAt at an event's exact time is that version; between two events, the earlier`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    // Versions 1…6 at ms 1000, 2000, 2000, 2000, 5000, 5001: equal times are allowed.
    const times = [1000, 2000, 2000, 2000, 5000, 5001];
    await log.append({ event: timed(event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), times[0]!), document: plan });
    for (let version = 2; version <= times.length; version += 1) {
      await log.append({ event: timed(event(plan.objectId, version, 'patched', [{ op: 'replace', path: '/planType', value: `type-${version}` }]), times[version - 1]!), document: { ...plan, planType: `type-${version}` } });
    }
    const versionAt = (ms: number) => log.versionAt(refOfPlan(plan), at(ms));
    t.is(await versionAt(999), 0);
    t.is(await versionAt(1000), 1);
    t.is(await versionAt(1999), 1);
    t.is(await versionAt(2000), 4, 'the newest of the versions at that time');
    t.is(await versionAt(4999), 4);
    t.is(await versionAt(5000), 5);
    t.is(await versionAt(5001), 6);
    t.is(await versionAt(-1e12), 0);
    t.is(await log.versionAt({ org: 'example.com', planId: 'no-such-plan' }, at(5001)), 0);
  });

  test(`${name} › a plan deleted and re-created: history, stateAt and versionAt see each life`, async (t) => {
    const log = await makeLog({ snapshotEvery: 2 });
    const plan = aPlan();
    const second = { ...plan, planType: 'second-life' };
    await log.append({ event: timed(event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), 1000), document: plan });
    await log.append({ event: timed(event(plan.objectId, 2, 'deleted', []), 2000), document: null });
    await log.append({ event: timed(event(plan.objectId, 3, 'created', [{ op: 'add', path: '', value: second }]), 3000), document: second });
    await log.append({ event: timed(event(plan.objectId, 4, 'deleted', []), 4000), document: null });
    await log.append({ event: timed(event(plan.objectId, 5, 'created', [{ op: 'add', path: '', value: plan }]), 5000), document: plan });
    const ref = refOfPlan(plan);
    t.deepEqual((await log.events(ref)).map((e) => e.type), ['created', 'deleted', 'created', 'deleted', 'created']);
    t.deepEqual((await log.stateAt(ref, 2)).document, null);
    t.deepEqual((await log.stateAt(ref, 3)).document, second);
    t.deepEqual((await log.stateAt(ref, 4)).document, null);
    t.deepEqual((await log.stateAt(ref, 5)).document, plan);
    t.is(await log.versionAt(ref, at(2500)), 2);
    t.is(await log.versionAt(ref, at(3500)), 3);
  });

  test(`${name} › events of many plans appended interleaved stay each plan's own, in order`, async (t) => {
    const log = await makeLog({ snapshotEvery: 5 });
    const plans = Array.from({ length: 6 }, () => aPlan());
    for (let version = 1; version <= 12; version += 1) {
      await Promise.all(
        plans.map((plan, i) =>
          log.append(
            version === 1
              ? { event: event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), document: plan }
              : { event: event(plan.objectId, version, 'patched', [{ op: 'replace', path: '/planType', value: `p${i}-v${version}` }]), document: { ...plan, planType: `p${i}-v${version}` } },
          ),
        ),
      );
    }
    for (const [i, plan] of plans.entries()) {
      const events = await log.events(refOfPlan(plan));
      t.deepEqual(events.map((e) => [e.planId, e.version]), Array.from({ length: 12 }, (_, v) => [plan.objectId, v + 1]));
      t.is((await log.stateAt(refOfPlan(plan), 11)).document?.planType, `p${i}-v11`);
      t.deepEqual(foldPlan(events).document, (await log.head(refOfPlan(plan)))?.document);
    }
  });

  test(`${name} › versionAt counts times that went backwards from the latest time before them`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    // The plan service never writes this (times never go backwards per plan); a copied log might.
    await log.append({ event: timed(event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), 3000), document: plan });
    await log.append({ event: timed(event(plan.objectId, 2, 'patched', []), 1000), document: plan });
    await log.append({ event: timed(event(plan.objectId, 3, 'patched', []), 4000), document: plan });
    t.is(await log.versionAt(refOfPlan(plan), at(1500)), 0);
    t.is(await log.versionAt(refOfPlan(plan), at(3000)), 2);
    t.is(await log.versionAt(refOfPlan(plan), at(4000)), 3);
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

  test(`${name} › versions reads each plan's current version without its document, 0 for a plan never seen`, async (t) => {
    const log = await makeLog();
    const plan = aPlan();
    await log.append({ event: event(plan.objectId, 1, 'created', [{ op: 'add', path: '', value: plan }]), document: plan });
    await log.append({ event: event(plan.objectId, 2, 'deleted', []), document: null });
    t.deepEqual(await log.versions([refOfPlan(plan), { org: 'other.example', planId: plan.objectId }, { org: 'example.com', planId: 'never' }]), [2, 0, 0]);
    t.deepEqual(await log.versions([]), []);
  });
}
