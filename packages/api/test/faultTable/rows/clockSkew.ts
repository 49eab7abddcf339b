import { fileURLToPath } from 'node:url';
import { apiClient } from '../../apiClient.js';
import { aPlan } from '../../../../core/test/planMother.js';
import { withStackLog, type FaultContext, type FaultOutcome } from '../localFaultContext.js';

/**
 * Row 11: clock skew, on the api's clock only (a preload, `skewClock.mjs`, offsets its Date).
 * (a) The api's clock two minutes behind the identity provider's: fresh tokens carry `iat`/`nbf`
 * in the api's future and must still be accepted (OIDC_NOT_BEFORE_TOLERANCE, default 300 s).
 * (b) The api's clock stepping backwards, again and again, during writes: event times (`at`)
 * must never go backwards within a plan, so time travel by date (`?asOf=`, the version records'
 * binary search, the temporal index) stays well defined; every projection equals the log after.
 */

const SKEW_CLOCK = fileURLToPath(new URL('../../skewClock.mjs', import.meta.url));
/** How far the api's clock is behind the identity provider's in (a). */
export const BEHIND_MS = 120_000;
/** In (b): the api's clock steps this far back … */
export const STEP_BACK_MS = 2_000;
/** Writes (b) gathers at least, as every row of the fault table. */
const ROW_OPERATIONS = 1_000;
/** … this often. */
export const STEP_EVERY_MS = 500;

/** The api's environment additions for a skewed clock. */
export const skewedClockEnv = (clock: Record<string, string>): Record<string, string> => ({ NODE_OPTIONS: `--import=${SKEW_CLOCK}`, ...clock });

export interface ClockSkewOutcome extends FaultOutcome {
  /** (a): answers to a fresh token's requests with the api's clock behind (all 2xx expected). */
  readonly behindStatuses: readonly number[];
  /** (b): events whose `at` is earlier than their plan's previous event's (must be 0). */
  readonly timeReversals: number;
  /** (b): versions of the hot plan whose `?asOf=<its at>` read answered a different version's time. */
  readonly asOfMismatches: number;
  /** (b): events written while the clock stepped back. */
  readonly eventsChecked: number;
  /** (b): events of the hot plan whose time was held at the previous event's (the clock had stepped behind it): shows the fault was real. */
  readonly heldEvents: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** (a): the api two minutes behind the identity provider; a fresh token's writes and reads. */
export async function tokensFromAheadIssuer(ctx: FaultContext, apiEnv: Record<string, string> = {}): Promise<number[]> {
  await ctx.stack.kill('api', 'SIGTERM');
  await ctx.stack.restart('api', { ...skewedClockEnv({ CLOCK_SKEW_MS: String(-BEHIND_MS) }), ...apiEnv });
  const writer = await apiClient(ctx.stack.baseUrl, ctx.stack.env.OIDC_ISSUER ?? '', 'dev-writer');
  const plan = aPlan();
  const statuses = [(await writer.post('/v1/plans', plan)).status];
  statuses.push((await writer.get(`/v1/plans/${plan.objectId}`)).status);
  statuses.push((await writer.patch(`/v1/plans/${plan.objectId}`, { planType: 'outOfNetwork' }, 'application/merge-patch+json', '"v1"')).status);
  return statuses;
}

/** (b): the api's clock stepping back during a write load and a burst of PATCHes to one plan. */
async function clockSteppingBack(ctx: FaultContext, { runMs = 6_000 } = {}) {
  await ctx.stack.kill('api', 'SIGTERM');
  await ctx.stack.restart('api', skewedClockEnv({ CLOCK_STEP_BACK_MS: String(STEP_BACK_MS), CLOCK_STEP_EVERY_MS: String(STEP_EVERY_MS) }));
  const writer = await apiClient(ctx.stack.baseUrl, ctx.stack.env.OIDC_ISSUER ?? '', 'dev-writer');
  const auditor = await apiClient(ctx.stack.baseUrl, ctx.stack.env.OIDC_ISSUER ?? '', 'dev-auditor');
  const hot = aPlan();
  if ((await writer.post('/v1/plans', hot)).status !== 201) throw new Error('could not create the hot plan');
  const load = await ctx.load();
  const started = Date.now();
  // At least `runMs`, and until the row has its operations (at most two minutes).
  const enough = () => Date.now() - started >= runMs && (load.acknowledgedCount() >= ROW_OPERATIONS || Date.now() - started >= 120_000);
  for (let copay = 0; !enough(); copay += 1) {
    await writer.patch(`/v1/plans/${hot.objectId}`, { planCostShares: { copay } }, 'application/merge-patch+json', '*');
    await sleep(20);
  }
  const result = await load.stop();
  const plans = [...new Set([hot.objectId, ...result.acknowledged.map((write) => write.planId)])];
  const { reversals, checked, hotEvents } = await withStackLog(ctx.stack, async (log) => {
    let reversals = 0;
    let checked = 0;
    let hotEvents: Array<{ version: number; at: string }> = [];
    for (const planId of plans) {
      const events = await log.events({ org: 'example.com', planId });
      for (const [i, event] of events.entries()) {
        checked += 1;
        if (i > 0 && Date.parse(event.at) < Date.parse(events[i - 1]!.at)) reversals += 1;
      }
      if (planId === hot.objectId) hotEvents = events.map(({ version, at }) => ({ version, at }));
    }
    return { reversals, checked, hotEvents };
  });
  const held = hotEvents.filter((event, i) => i > 0 && event.at === hotEvents[i - 1]!.at).length;
  // Time travel to each version's own time finds a version of that same time (the newest at it).
  let asOfMismatches = 0;
  for (const { at } of hotEvents.filter((_, i) => i % 5 === 0)) {
    const past = await auditor.get<{ planCostShares?: unknown }>(`/v1/plans/${hot.objectId}?asOf=${encodeURIComponent(at)}`);
    const version = Number(past.headers.get('x-plan-version'));
    const found = hotEvents.find((event) => event.version === version);
    if (past.status !== 200 || found?.at !== at) asOfMismatches += 1;
  }
  return { result, reversals, checked, held, asOfMismatches };
}

export async function runClockSkew(ctx: FaultContext): Promise<ClockSkewOutcome> {
  try {
    const behindStatuses = await tokensFromAheadIssuer(ctx);
    const started = Date.now();
    const stepping = await clockSteppingBack(ctx);
    const ranMs = Date.now() - started;
    const lost = await ctx.checkNothingLost(stepping.result.acknowledged);
    const projectionsEqual = await ctx.converged();
    return {
      acknowledged: stepping.result.acknowledged.length,
      lost: lost.length,
      projectionsEqual,
      recoverMs: 0,
      behindStatuses,
      timeReversals: stepping.reversals,
      asOfMismatches: stepping.asOfMismatches,
      eventsChecked: stepping.checked,
      heldEvents: stepping.held,
      detail: `api ${BEHIND_MS / 1000} s behind the issuer: answers ${behindStatuses.join(', ')}; clock stepping back ${STEP_BACK_MS} ms every ${STEP_EVERY_MS} ms for ${Math.round(ranMs / 1000)} s: ${stepping.checked} events, ${stepping.held} of the hot plan held at the time before them, ${stepping.reversals} out of order, ${stepping.asOfMismatches} asOf mismatches`,
    };
  } finally {
    await ctx.stack.kill('api', 'SIGTERM');
    await ctx.stack.restart('api', {});
  }
}

/** Row 11, for the fault table. */
export const run = (ctx: FaultContext): Promise<FaultOutcome> => runClockSkew(ctx);
