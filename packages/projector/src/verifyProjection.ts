import { foldPlan, parsePlanKey, planKey, type PlanRef } from '@planledger/core';
import { HEAD_MARKER, scanKeys, type RedisClient, type RedisKeys } from '@planledger/core/redis';
import { checkpointsPassed, logEnds } from './checkpointsPassed.js';
import type { ProjectionContext } from './projectionContext.js';
import { projectionNamed, type Mismatch, type MismatchKind } from './projections/index.js';

export interface VerifyResult {
  readonly plans: number;
  readonly counts: Record<MismatchKind, number>;
  /** Every difference between the projection and the fold of the log (callers show the first ones). */
  readonly mismatches: Mismatch[];
}

export interface VerifyOptions extends ProjectionContext {
  readonly signal?: AbortSignal;
  /** Told, after each plan, how many of how many plans have been compared (the total is known up front). */
  readonly onProgress?: (progress: { plansDone: number; plans: number }) => void;
  /** Compare only these plans (a repair's second look); default every plan of the log. */
  readonly only?: readonly PlanRef[];
  /**
   * How long a verify of every plan may wait, before reporting differences, for the live projector
   * to pass where the log ended (default 30 s; it stops waiting sooner once the checkpoints have
   * not moved for 15 s, and 0 does not wait or look again).
   */
  readonly settleMs?: number;
}

export const emptyCounts = (): Record<MismatchKind, number> => ({ missing: 0, extra: 0, staleVersion: 0, differentContent: 0 });

/**
 * Compares a projection with what the log says, plan by plan: every plan's head must equal the
 * fold of its events, and the projection (its own `verify`) must hold exactly what the current
 * plans say, and nothing for plans that do not exist. Works on a live projection: plans changed
 * while it runs may show as stale until the live projector catches up (a repair re-reads them).
 */
export async function verifyProjection(options: VerifyOptions): Promise<VerifyResult> {
  const { redis, keys, log, signal, onProgress, only } = options;
  const projection = projectionNamed(options.projection);
  const refs = only ?? (await allPlans(redis, keys));
  let plansDone = 0;
  onProgress?.({ plansDone, plans: refs.length });
  const mismatches: Mismatch[] = [];
  const heads = [];
  for (const ref of refs) {
    signal?.throwIfAborted();
    const head = await log.head(ref);
    if (!head) continue;
    heads.push(head);
    const folded = foldPlan(await log.events(head));
    if (folded.version !== head.version || JSON.stringify(folded.document) !== JSON.stringify(head.document)) {
      mismatches.push({ org: head.org, planId: head.planId, kind: 'differentContent', expectedVersion: folded.version, actualVersion: head.version, detail: `${planKey(head)}: head differs from the fold of its log` });
    }
    if (head.document === null) {
      plansDone += 1;
      onProgress?.({ plansDone, plans: refs.length });
    }
  }
  const live = heads.filter((head) => head.document !== null);
  const found = await projection.verify(options, projection.keepsDeletedPlans ? heads : live, {
    ...(signal ? { signal } : {}),
    onPlan: () => {
      plansDone += 1;
      onProgress?.({ plansDone, plans: refs.length });
    },
  });
  // A repair's second look covers its own plans only: what the projection holds for other plans is not in question.
  const wanted = only ? new Set(only.map((ref) => planKey(ref))) : null;
  mismatches.push(...found.filter((mismatch) => wanted === null || wanted.has(planKey(mismatch))));
  const settled = only || mismatches.length === 0 || options.settleMs === 0 ? mismatches : await lookAgain(options, mismatches);
  const counts = emptyCounts();
  for (const mismatch of settled) counts[mismatch.kind] += 1;
  return { plans: refs.length, counts, mismatches: settled };
}

/**
 * A live projection trails the log: a plan changed (or deleted) just before it was compared may
 * differ only because the projector has not applied that change yet. So the plans found different
 * are compared again once the projection's checkpoints passed where the log ended (waiting while
 * the checkpoints move, at most `settleMs`); a difference counts only when the plan's head did not
 * change while it was compared again — else that plan is looked at once more, up to 5 rounds.
 */
async function lookAgain(options: VerifyOptions, mismatches: readonly Mismatch[]): Promise<Mismatch[]> {
  const { onProgress: _progress, ...rest } = options;
  const settled: Mismatch[] = [];
  let open = [...new Map(mismatches.map((mismatch) => [planKey(mismatch), { org: mismatch.org, planId: mismatch.planId }])).values()];
  for (let round = 1; open.length > 0; round += 1) {
    const before = await Promise.all(open.map(async (plan) => (await options.log.head(plan))?.version ?? 0));
    await caughtUp(options);
    const found = (await verifyProjection({ ...rest, only: open })).mismatches;
    const after = await Promise.all(open.map(async (plan) => (await options.log.head(plan))?.version ?? 0));
    const moved = new Set(open.filter((_, i) => before[i] !== after[i]).map((plan) => planKey(plan)));
    const last = round === LOOKS;
    settled.push(...found.filter((mismatch) => last || !moved.has(planKey(mismatch))));
    open = last ? [] : open.filter((plan) => moved.has(planKey(plan)) && found.some((mismatch) => planKey(mismatch) === planKey(plan)));
  }
  return settled;
}

const LOOKS = 5;

/** Waits until the projection's checkpoint in every partition passed where the log ends now (bounded: see `settleMs`). */
async function caughtUp({ redis, keys, projection, signal, settleMs = 30_000 }: VerifyOptions): Promise<void> {
  await checkpointsPassed({ redis, keys, projection, ends: await logEnds(redis, keys), timeoutMs: settleMs, stillMs: STILL_MS, ...(signal ? { signal } : {}) });
}

/** Checkpoints that have not moved for this long belong to no running projector (a relay's partitions pass to another within its 10 s lease): waiting longer shows nothing new. */
const STILL_MS = 15_000;

/** Every plan the log has a head for (deleted ones included). */
async function allPlans(redis: RedisClient, keys: RedisKeys): Promise<PlanRef[]> {
  const plans: PlanRef[] = [];
  await scanKeys(redis, `${keys.prefix}:*${HEAD_MARKER}*`, async (found) => {
    for (const key of found) {
      const plan = parsePlanKey(key.slice(key.indexOf(HEAD_MARKER) + HEAD_MARKER.length));
      if (plan) plans.push(plan);
    }
  });
  return plans;
}
