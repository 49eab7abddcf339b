import { aPlan } from '../../packages/core/test/planMother.js';
import { startStack } from '../../packages/api/test/stackProcesses.js';
import { percentile, type BenchPart } from '../benchContext.js';
import { BENCH_STACK_ENV, benchApi } from '../benchApi.js';
import { waitCaughtUp } from '../caughtUp.js';

const POLL_MS = 20;
const FIRST_COPAY = 10_000;

/**
 * Searchable lag during a burst of one-field PATCHes to ONE plan: PATCH i sets the copay to
 * FIRST_COPAY + i, so "a search for copay ≥ v finds the plan" means write v (or a later one) is
 * searchable. Every k-th write is sampled (and the last); one poller searches for the oldest
 * sample still pending, through the api, every POLL_MS.
 */
export const searchableLag: BenchPart = async ({ sizes, say }) => {
  const stack = await startStack({ ...BENCH_STACK_ENV });
  try {
    const api = await benchApi(stack);
    const plan = aPlan();
    await api.post(plan);
    await waitCaughtUp(stack.baseUrl);
    const { burstPatches: count, burstRate: rate } = sizes;
    const every = Math.max(1, Math.round(count / 100));
    say(`searchable lag: ${count} PATCHes to one plan at ${rate}/s, every ${every}th sampled`);
    const pending: { copay: number; at: number }[] = [];
    const lags: number[] = [];
    let writing = true;
    let failed = 0;
    let lastAck = Date.now();
    const found = async (copay: number) => {
      const query = new URLSearchParams({ objectId: plan.objectId, 'planCostShares.copay[gte]': String(copay), limit: '1' });
      const body = (await (await fetch(`${stack.baseUrl}/v1/search?${query}`, { headers: { authorization: api.writer } })).json()) as { total?: number };
      return (body.total ?? 0) > 0;
    };
    const poller = (async () => {
      const deadline = () => !writing && Date.now() - lastAck > 120_000;
      while (writing || pending.length > 0) {
        const oldest = pending[0];
        if (oldest && (await found(oldest.copay))) {
          lags.push(Date.now() - oldest.at);
          pending.shift();
          continue;
        }
        if (deadline()) break;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    })();
    const started = Date.now();
    for (let i = 0; i < count; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (i * 1000) / rate - Date.now())));
      const copay = FIRST_COPAY + i;
      const ack = await api.patchCopay(plan.objectId, copay);
      if (ack.status !== 200) failed += 1;
      lastAck = ack.at;
      if (i % every === 0 || i === count - 1) pending.push({ copay, at: ack.at });
    }
    const burstSeconds = (Date.now() - started) / 1000;
    writing = false;
    await poller;
    const drainSeconds = (Date.now() - lastAck) / 1000;
    const p99 = percentile(lags, 99) / 1000;
    return [
      {
        // Sequential writes: on a loaded machine the burst takes longer than count ÷ rate; the name says how long it took.
        figure: `searchable lag p99, ${count} PATCHes in ${burstSeconds.toFixed(1)} s to one plan`,
        measured: Math.round(p99 * 1000) / 1000,
        unit: 's',
        target: '≤ 1.5 s',
        met: pending.length === 0 && p99 <= 1.5,
        details: { samples: lags.length, unfound: pending.length, p50: percentile(lags, 50) / 1000, max: Math.max(...lags) / 1000, burstSeconds, lastWriteSearchableAfterSeconds: drainSeconds, failedWrites: failed },
      },
    ];
  } finally {
    await stack.stop();
  }
};
