import { foldPlan, parsePlanKey, planKey, type PlanRef } from '@planledger/core';
import { HEAD_MARKER, scanKeys, type RedisClient, type RedisKeys } from '@planledger/core/redis';
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
  const counts = emptyCounts();
  for (const mismatch of mismatches) counts[mismatch.kind] += 1;
  return { plans: refs.length, counts, mismatches };
}

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
