import type { TestFn } from 'ava';
import fc from 'fast-check';
import { createPlanService, DomainError, foldPlan, planEtag, validatePlan, type EventLog, type PatchFormat, type PlanDocument, type WriteContext } from '../src/index.js';
import { aPlan } from './planMother.js';

type Step =
  | { kind: 'patch'; format: PatchFormat; body: (plan: PlanDocument) => unknown }
  | { kind: 'replace'; change: (plan: PlanDocument) => PlanDocument }
  | { kind: 'delete-and-recreate' };

type Service = { objectId: string; planserviceCostShares: { copay: number } };
const servicesOf = (plan: PlanDocument) => plan.linkedPlanServices as unknown as Service[];

// One amount in five is negative, so refused writes are exercised in every run, not by luck.
const amount = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 5000 }), weight: 4 }, { arbitrary: fc.integer({ min: -5, max: -1 }), weight: 1 });
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  amount.map((copay): Step => ({ kind: 'patch', format: 'json-patch', body: () => [{ op: 'replace', path: '/planCostShares/copay', value: copay }] })),
  fc.tuple(fc.nat(), amount).map(([pick, copay]): Step => ({
    kind: 'patch',
    format: 'merge',
    body: (plan) => {
      const services = servicesOf(plan);
      return services.length === 0 ? {} : { linkedPlanServices: [{ objectId: services[pick % services.length]!.objectId, planserviceCostShares: { copay } }] };
    },
  })),
  fc.string({ minLength: 1, maxLength: 20 }).map((name): Step => ({ kind: 'patch', format: 'merge-patch', body: () => ({ planType: name }) })),
  fc.nat().map((pick): Step => ({
    kind: 'patch',
    format: 'json-patch',
    body: (plan) => (servicesOf(plan).length === 0 ? [] : [{ op: 'remove', path: `/linkedPlanServices/${pick % servicesOf(plan).length}` }]),
  })),
  fc.uuid().map((id): Step => ({ kind: 'patch', format: 'merge', body: (plan) => ({ linkedPlanServices: servicesOf(aPlan({ id: `${plan.objectId}-${id.slice(0, 8)}`, org: plan._org })).slice(0, 1) }) })),
  amount.map((deductible): Step => ({ kind: 'replace', change: (plan) => ({ ...plan, planCostShares: { ...(plan.planCostShares as object), deductible } }) as PlanDocument })),
  fc.constant<Step>({ kind: 'delete-and-recreate' }),
);

/**
 * Property: whatever sequence of valid and invalid writes hits a plan, replaying its log
 * reproduces the head exactly, and every stored version is a valid plan.
 */
export function planServiceProperties(test: TestFn<unknown>, name: string, makeLog: () => Promise<EventLog>, runs: number): void {
  test(`${name} › replaying the log reproduces every head, and every stored version validates (property)`, async (t) => {
    const log = await makeLog();
    const plans = createPlanService({ log, now: () => new Date() });
    const context: WriteContext = { actor: { clientId: 'property' }, org: 'example.com', crossOrg: false, requestId: 'prop' };
    let checked = 0;
    const outcomes = { applied: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.uuid(), fc.array(stepArbitrary, { minLength: 1, maxLength: 8 }), async (id, steps) => {
        const planId = `prop-${id}`;
        const ref = { org: 'example.com', planId };
        await plans.create(aPlan({ id: planId }), context);
        for (const step of steps) {
          const head = await log.head(ref);
          const current = head?.document;
          try {
            if (!current) await plans.create(aPlan({ id: planId }), context);
            else if (step.kind === 'patch') await plans.patch(ref, step.format, step.body(current), { ifMatch: [planEtag(head.version)] }, context);
            else if (step.kind === 'replace') await plans.replace(ref, step.change(current), { ifMatch: [planEtag(head.version)] }, context);
            else await plans.remove(ref, { ifMatch: [planEtag(head.version)] }, context);
            outcomes.applied += 1;
          } catch (error) {
            if (!(error instanceof DomainError)) throw error; // refused writes are expected; anything else is a bug
            outcomes.refused += 1;
          }
        }
        const events = await log.events(ref);
        const head = await log.head(ref);
        const folded = foldPlan(events);
        t.is(head?.version, folded.version);
        t.deepEqual(folded.document, head?.document);
        t.deepEqual(events.map((e) => e.version), events.map((_, i) => i + 1));
        for (let version = 1; version <= folded.version; version += 1) {
          const { document } = await log.stateAt(ref, version);
          if (document !== null) t.deepEqual(validatePlan(document), [], `${planId}@${version}`);
        }
        checked += 1;
      }),
      { numRuns: runs },
    );
    t.is(checked, runs);
    t.true(outcomes.applied > 0 && outcomes.refused > 0, `both kinds of write were exercised: ${JSON.stringify(outcomes)}`);
  });
}
