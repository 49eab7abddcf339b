import type { AckedWrite, FaultContext, FaultOutcome, LoadOptions } from './faultRow.js';

const DEFAULT_HOLD_MS = 5000;

export interface FaultSteps {
  /** Brings the fault about (kill a process or node, cut a service). */
  inject(): Promise<void>;
  /**
   * Takes the fault away (restart, reconnect), timed: recovery is measured from here. Without it
   * the system must ride the fault out by itself, and recovery is measured from the injection.
   */
  remove?(): Promise<void>;
  /** How long the fault lasts before `remove` (default: until half the row's operations were acknowledged, at most 5 s — a fault may stop every write). */
  holdMs?: number;
  /** Puts things back for the next rows once recovery was measured (restart what a ridden-out fault killed); not timed. */
  restore?(): Promise<void>;
  /** Runs while the load is still going, after recovery (e.g. waits for a replay); returns problems found. */
  during?(): Promise<string[]>;
  /** Checks once the load stopped and the projections converged; returns problems found. */
  after?(acked: readonly AckedWrite[]): Promise<string[]>;
  readonly load?: LoadOptions;
  /** Said in the row's detail. */
  readonly what?: () => string;
}

/**
 * One fault under a steady write load: warm up, inject, (hold, remove,) measure recovery, keep
 * writing until the row's operations were acknowledged since the injection, restore, then stop
 * the load and check that nothing acknowledged was lost and every projection equals the log.
 */
export async function faultUnderLoad(ctx: FaultContext, steps: FaultSteps): Promise<FaultOutcome> {
  const load = ctx.load(steps.load);
  const problems: string[] = [];
  let acked: Awaited<ReturnType<typeof load.stop>> = [];
  let injectedAt = Date.now();
  let recoverMs = Number.NaN;
  try {
    await load.waitFor(Math.min(100, ctx.ops / 4));
    injectedAt = Date.now();
    await steps.inject();
    ctx.log(`injected after ${load.acknowledged()} warm-up writes`);
    let from = injectedAt;
    if (steps.remove) {
      const { holdMs } = steps;
      if (holdMs === undefined) await load.reached(Math.ceil(ctx.ops / 2), injectedAt, DEFAULT_HOLD_MS);
      else await new Promise((resolve) => setTimeout(resolve, Math.max(0, injectedAt + holdMs - Date.now())));
      from = Date.now();
      await steps.remove();
      ctx.log(`removed after ${from - injectedAt} ms, ${load.acknowledged(injectedAt)} writes acknowledged meanwhile`);
    }
    recoverMs = await ctx.recovered(from);
    ctx.log(`recovered in ${recoverMs} ms`);
    await steps.restore?.();
    problems.push(...((await steps.during?.()) ?? []));
    await load.waitFor(ctx.ops, injectedAt);
  } finally {
    acked = await load.stop();
  }
  const acknowledged = acked.filter((ack) => ack.at >= injectedAt).length;
  const lost = await ctx.checkNothingLost(acked);
  const lostNotes = [...ctx.notes];
  const projectionsEqual = await ctx.converged();
  problems.push(...((await steps.after?.(acked)) ?? []));
  const detail = [steps.what?.(), `${acked.length} writes in all, ${load.failures()} requests unanswered or 5xx`, ...lostNotes, ...ctx.notes].filter(Boolean).join('; ');
  return { acknowledged, lost, projectionsEqual, recoverMs, detail, ...(problems.length > 0 ? { problems } : {}) };
}
