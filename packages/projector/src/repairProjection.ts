import { planKey, type PlanRef } from '@planledger/core';
import type { ProjectionContext } from './projectionContext.js';
import { projectionNamed, type Mismatch } from './projections/index.js';
import { verifyProjection, type VerifyResult } from './verifyProjection.js';

export interface RepairOptions extends ProjectionContext {
  /** What a verification found; only these plans are re-projected. */
  readonly mismatches: readonly Mismatch[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: { phase: 'repair' | 'verify'; done: number; total: number }) => void;
}

export interface RepairResult {
  /** Plans re-projected from the log. */
  readonly repaired: number;
  /** The verification of those plans afterwards. */
  readonly verification: VerifyResult;
}

/**
 * Re-projects only the mismatched plans from the log: each plan's head (the fold of its events)
 * is written to the live target under the live projector's own version guards, so it is safe
 * while the projector keeps writing. Then those plans are verified again.
 */
export async function repairProjection(options: RepairOptions): Promise<RepairResult> {
  const { log, signal, onProgress } = options;
  const projection = projectionNamed(options.projection);
  const plans = new Map<string, PlanRef>();
  for (const { org, planId } of options.mismatches) plans.set(planKey({ org, planId }), { org, planId });
  let done = 0;
  onProgress?.({ phase: 'repair', done, total: plans.size });
  for (const plan of plans.values()) {
    signal?.throwIfAborted();
    await projection.repair(options, plan, await log.head(plan), log);
    done += 1;
    onProgress?.({ phase: 'repair', done, total: plans.size });
  }
  const { onProgress: _repairProgress, mismatches: _mismatches, ...context } = options;
  const verification = await verifyProjection({
    ...context,
    only: [...plans.values()],
    ...(onProgress ? { onProgress: ({ plansDone, plans: total }: { plansDone: number; plans: number }) => onProgress({ phase: 'verify', done: plansDone, total }) } : {}),
  });
  return { repaired: plans.size, verification };
}
