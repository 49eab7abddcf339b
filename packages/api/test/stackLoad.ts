import type { ExecutionContext } from 'ava';
import { PROJECTION_NAMES } from '@planledger/projector/projections';
import { createRedisKeys, RedisEventLog } from '@planledger/core/redis';
import { verifyProjection } from '../../projector/src/verifyProjection.js';
import { aPlan } from '../../core/test/planMother.js';
import { connectTestElastic } from '../../core/test/elasticTestContext.js';
import type { ApiClient } from './apiClient.js';
import { connectStackRedis, type Stack } from './stackProcesses.js';
import { checkedFetch } from './contract/checkedFetch.js';

/**
 * Three writers creating plans, removing a nested plan service from each, and deleting every
 * fourth, until stopped;
 * `stop` resolves with how many writes were acknowledged.
 */
export function writeLoad(client: ApiClient): { stop: () => Promise<number> } {
  let running = true;
  let acknowledged = 0;
  const worker = async (n: number) => {
    for (let i = 0; running; i += 1) {
      const plan = aPlan({ copay: i });
      const path = `/v1/plans/${plan.objectId}`;
      if ((await client.post('/v1/plans', plan)).status === 201) acknowledged += 1;
      const removeService = [{ op: 'remove', path: '/linkedPlanServices/0' }];
      if ((await client.patch(path, removeService, 'application/json-patch+json', '"v1"')).status === 200) acknowledged += 1;
      if ((i + n) % 4 === 0 && (await client.delete(path, '"v2"')).status === 204) acknowledged += 1;
    }
  };
  const workers = [0, 1, 2].map(worker);
  return {
    stop: async () => {
      running = false;
      await Promise.all(workers);
      return acknowledged;
    },
  };
}

/** Waits until `/health/ready` (of whichever api instance answers) reports no lag for the relay and every projection. */
export async function waitForProjections(stack: Stack, timeoutMs = 90_000): Promise<void> {
  let lag: unknown;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    for (const baseUrl of stack.baseUrls) {
      const ready = await checkedFetch(`${baseUrl}/health/ready`).then((response) => response.json() as Promise<{ lag?: Record<string, { entries: number }> }>, () => null);
      if (!ready) continue;
      lag = ready.lag;
      if (ready.lag && Object.values(ready.lag).every((entry) => entry.entries === 0)) return;
      break;
    }
  }
  throw new Error(`projections did not catch up: ${JSON.stringify(lag)}`);
}

/** Waits for the projections to catch up, then checks every projection equals the fold of the log. */
export async function converged(stack: Stack, t: ExecutionContext): Promise<void> {
  await waitForProjections(stack);
  const redis = connectStackRedis(stack.env);
  const es = connectTestElastic();
  try {
    const keys = createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: Number(stack.env.PARTITIONS) });
    for (const projection of PROJECTION_NAMES) {
      const verdict = await verifyProjection({ projection, redis, keys, log: new RedisEventLog(redis, keys), es, alias: stack.env.ES_ALIAS ?? '' });
      t.true(verdict.plans > 10, `${verdict.plans} plans`);
      t.deepEqual(verdict.mismatches, [], `${projection} equals the fold of the log`);
    }
  } finally {
    redis.disconnect();
    await es.close();
  }
}
