import test from 'ava';
import { createPlanService, InMemoryEventLog, refOfPlan, VersionConflict, WriteOutcomeUnknown, type AppendRequest, type AppendResult, type WriteContext } from '../src/index.js';
import { aPlan } from './planMother.js';

const writer = (key?: string): WriteContext => ({
  actor: { clientId: 'dev-writer', subject: 'dev-writer' },
  org: 'example.com',
  crossOrg: false,
  requestId: `req-${key ?? 'none'}`,
  ...(key ? { idempotency: { key, fingerprint: `fp-${key}` } } : {}),
});

/** The in-memory log whose next append runs and then fails as a lost connection would (the reply never came). */
class LosingLog extends InMemoryEventLog {
  loseNext = false;

  override async append(request: AppendRequest): Promise<AppendResult> {
    const result = await super.append(request);
    if (!this.loseNext) return result;
    this.loseNext = false;
    throw new Error('Command timed out');
  }
}

test('plan service, the append times out after it ran › the write is outcome-unknown, never a refusal; a retry with the key replays it', async (t) => {
  const log = new LosingLog();
  const plans = createPlanService({ log, now: () => new Date() });
  const plan = aPlan();
  await plans.create(plan, writer('k1'));
  log.loseNext = true;
  const patch = () => plans.patch(refOfPlan(plan), 'merge', { planType: 'outOfNetwork' }, { ifMatch: ['"v1"'] }, writer('k2'));
  await t.throwsAsync(patch(), { instanceOf: WriteOutcomeUnknown });
  const retried = await patch();
  t.like(retried, { version: 2, replayed: true });
  t.is((await log.events(refOfPlan(plan))).length, 2);
});

test('plan service, the append times out › without a key, a blind retry is refused as a conflict, which is why the answer says to send one', async (t) => {
  const log = new LosingLog();
  const plans = createPlanService({ log, now: () => new Date() });
  const plan = aPlan();
  await plans.create(plan, writer());
  log.loseNext = true;
  const patch = () => plans.patch(refOfPlan(plan), 'merge', { planType: 'outOfNetwork' }, { ifMatch: ['"v1"'] }, writer());
  await t.throwsAsync(patch(), { instanceOf: WriteOutcomeUnknown, message: /Idempotency-Key/ });
  await t.throwsAsync(patch(), { instanceOf: VersionConflict });
});

test('plan service, a write refused by the log for another reason › is not made outcome-unknown', async (t) => {
  const log = new InMemoryEventLog();
  log.append = async () => {
    throw new Error('ERR wrong number of arguments');
  };
  const plans = createPlanService({ log, now: () => new Date() });
  const error = await t.throwsAsync(plans.create(aPlan(), writer()));
  t.false(error instanceof WriteOutcomeUnknown);
});

test('plan service, the clock stepping backwards between writes › event times stay monotonic per plan', async (t) => {
  const log = new InMemoryEventLog();
  let clockMs = Date.UTC(2026, 0, 1, 12);
  const plans = createPlanService({ log, now: () => new Date(clockMs) });
  const plan = aPlan();
  await plans.create(plan, writer());
  for (let version = 1; version < 6; version += 1) {
    clockMs -= 60_000; // a minute back each time
    await plans.patch(refOfPlan(plan), 'merge', { planType: `p${version}` }, { ifMatch: '*' }, writer());
  }
  clockMs += 600_000;
  await plans.patch(refOfPlan(plan), 'merge', { planType: 'later' }, { ifMatch: '*' }, writer());
  const times = (await log.events(refOfPlan(plan))).map((e) => Date.parse(e.at));
  t.is(times.length, 7);
  for (let i = 1; i < times.length; i += 1) t.true(times[i]! >= times[i - 1]!, `event ${i + 1} at ${times[i]} is not before event ${i} at ${times[i - 1]}`);
  t.is(times[5], Date.UTC(2026, 0, 1, 12), 'held at the latest time seen until the clock passes it');
  t.is(times[6], Date.UTC(2026, 0, 1, 12) + 300_000, 'then the clock again');
  t.is(await log.versionAt(refOfPlan(plan), new Date(Date.UTC(2026, 0, 1, 12))), 6, 'time travel to that moment finds the newest version at it');
});
