import { connectRedis, createRedisKeys, RedisEventLog, type RedisClient } from '@planledger/core/redis';
import { PROJECTION_NAMES } from '@planledger/projector/projections';
import { verifyProjection } from '../../../projector/src/verifyProjection.js';
import { connectTestElastic } from '../../../core/test/elasticTestContext.js';
import { apiClient } from '../apiClient.js';
import type { Stack } from '../stackProcesses.js';
import { waitForProjections } from '../stackLoad.js';
import { keyedWriteLoad, type AcknowledgedWrite, type KeyedWriteLoad } from './keyedWriteLoad.js';

/**
 * A minimal local version of the fault table harness's shapes (the `faults` helper writes the
 * real one; the lead joins them): what a row gets and what it answers.
 */
export interface FaultOutcome {
  /** Writes the api acknowledged (2xx), during the fault and after it. */
  readonly acknowledged: number;
  /** Acknowledged writes the log does not hold afterwards (must be 0). */
  readonly lost: number;
  /** Every projection equals the fold of the log once the fault healed. */
  readonly projectionsEqual: boolean;
  /** From healing the fault until the system served writes again (ms). */
  readonly recoverMs: number;
  readonly detail?: string;
}

export interface FaultContext {
  readonly stack: Stack;
  /** Acknowledged operations the row gathers (the fault table's `--ops`); absent: no minimum. */
  readonly ops?: number;
  /** Starts a write load (every write with an Idempotency-Key) against the stack's api. */
  load(): Promise<KeyedWriteLoad>;
  /** The acknowledged writes the log does not hold (by plan, version and Idempotency-Key). */
  checkNothingLost(acked: readonly AcknowledgedWrite[]): Promise<AcknowledgedWrite[]>;
  /** Waits until the relay and projections caught up, then whether each projection equals the fold of the log. */
  converged(): Promise<boolean>;
}

/** Runs `work` over the stack's log, read straight from Redis (not through the api). */
export async function withStackLog<T>(stack: Stack, work: (log: RedisEventLog, redis: RedisClient) => Promise<T>): Promise<T> {
  const redis = connectRedis({ redisUrl: stack.env.REDIS_URL ?? '', redisClusterNodes: stack.env.REDIS_CLUSTER_NODES ?? '' });
  try {
    const keys = createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: Number(stack.env.PARTITIONS) });
    return await work(new RedisEventLog(redis, keys), redis);
  } finally {
    redis.disconnect();
  }
}

export function createLocalFaultContext(stack: Stack): FaultContext {
  const withLog = <T>(work: (log: RedisEventLog, redis: RedisClient) => Promise<T>) => withStackLog(stack, work);
  return {
    stack,
    load: async () => keyedWriteLoad(await apiClient(stack.baseUrl, stack.env.OIDC_ISSUER ?? '', 'dev-writer')),
    checkNothingLost: (acked) =>
      withLog(async (log) => {
        const lost: AcknowledgedWrite[] = [];
        for (const write of acked) {
          const [event] = await log.events({ org: 'example.com', planId: write.planId }, { from: write.version, to: write.version });
          if (event?.idempotencyKey !== write.idempotencyKey) lost.push(write);
        }
        return lost;
      }),
    converged: async () => {
      await waitForProjections(stack);
      const es = connectTestElastic();
      try {
        return await withLog(async (log, redis) => {
          const keys = createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: Number(stack.env.PARTITIONS) });
          for (const projection of PROJECTION_NAMES) {
            const verdict = await verifyProjection({ projection, redis, keys, log, es, alias: stack.env.ES_ALIAS ?? '' });
            if (verdict.mismatches.length > 0 || verdict.plans === 0) return false;
          }
          return true;
        });
      } finally {
        await es.close();
      }
    },
  };
}
