import { scanKeys, type RedisClient } from '../../packages/core/src/adapters/redis/index.js';
import { aPlan } from '../../packages/core/test/planMother.js';
import { startStack } from '../../packages/api/test/stackProcesses.js';
import type { BenchPart } from '../benchContext.js';
import { BENCH_STACK_ENV, benchApi } from '../benchApi.js';

/** MEMORY USAGE (SAMPLES 0: every element counted) summed over every key under a prefix. */
export async function bytesUnder(redis: RedisClient, prefix: string): Promise<{ bytes: number; keys: number }> {
  let bytes = 0;
  let keys = 0;
  // One command a key (keys of many slots on a cluster), sent together.
  await scanKeys(redis, `${prefix}:*`, async (found) => {
    for (const value of await Promise.all(found.map((key) => redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')))) bytes += Number(value ?? 0);
    keys += found.length;
  });
  return { bytes, keys };
}

/**
 * Redis bytes per event: the growth of every key the log writes (partition streams included),
 * under the stack's own prefix with relay and projector not running, over N one-field PATCHes of
 * the sample plan, ÷ N, beside the event's JSON bytes (the `event` field of its log entry).
 */
export const redisBytes: BenchPart = async ({ redis, sizes, say }) => {
  const stack = await startStack({ ...BENCH_STACK_ENV });
  try {
    await stack.kill('relay', 'SIGTERM');
    await stack.kill('projector', 'SIGTERM');
    const api = await benchApi(stack);
    const plan = aPlan();
    await api.post(plan);
    const prefix = stack.env.KEY_PREFIX ?? '';
    const before = await bytesUnder(redis, prefix);
    say(`Redis bytes per event: ${sizes.patches} one-field PATCHes of the sample plan`);
    let last = null;
    for (let i = 0; i < sizes.patches; i += 1) last = await api.patchCopay(plan.objectId, 100 + (i % 900));
    const after = await bytesUnder(redis, prefix);
    const entry = await api.logEntry(redis, last?.token ?? '');
    const eventAt = entry.indexOf('event');
    const eventJson = eventAt >= 0 && eventAt % 2 === 0 ? (entry[eventAt + 1] ?? '') : entry.reduce((a, b) => (b.length > a.length ? b : a), '');
    const eventBytes = Buffer.byteLength(eventJson);
    const perEvent = (after.bytes - before.bytes) / sizes.patches;
    return [
      {
        figure: 'Redis bytes per event, one-field PATCHes',
        measured: Math.round(perEvent),
        unit: 'bytes',
        limit: { value: eventBytes, unit: 'bytes', what: 'event JSON' },
        ratio: perEvent / eventBytes,
        target: '≤ 1.5×',
        met: perEvent / eventBytes <= 1.5,
        details: { patches: sizes.patches, keysBefore: before.keys, keysAfter: after.keys, bytesBefore: before.bytes, bytesAfter: after.bytes },
      },
    ];
  } finally {
    await stack.stop();
  }
};
