import type { Redis } from 'ioredis';
import { foldPlan, parsePlanKey, planKey, type EventLog, type PlanHead } from '@planledger/core';
import { HEAD_MARKER, type RedisKeys } from '@planledger/core/redis';
import type { ProjectionContext } from './projectionContext.js';
import { projectionNamed } from './projections/index.js';

export interface VerifyResult {
  readonly plans: number;
  /** One line per difference between the projection and the fold of the log. */
  readonly mismatches: string[];
}

/**
 * Compares a projection with what the log says, plan by plan: every plan's head must equal the
 * fold of its events, and the projection (its own `verify`) must hold exactly what the current
 * plans say, and nothing for plans that do not exist.
 */
export async function verifyProjection(context: ProjectionContext): Promise<VerifyResult> {
  const { redis, keys, log } = context;
  const projection = projectionNamed(context.projection);
  const heads = await allHeads(redis, keys, log);
  const mismatches: string[] = [];
  for (const head of heads) {
    const folded = foldPlan(await log.events(head));
    if (folded.version !== head.version || JSON.stringify(folded.document) !== JSON.stringify(head.document)) mismatches.push(`${planKey(head)}: head differs from the fold of its log`);
  }
  mismatches.push(...(await projection.verify(context, projection.keepsDeletedPlans ? heads : heads.filter((head) => head.document !== null))));
  return { plans: heads.length, mismatches };
}

async function allHeads(redis: Redis, keys: RedisKeys, log: EventLog): Promise<PlanHead[]> {
  const heads: PlanHead[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${keys.prefix}:*${HEAD_MARKER}*`, 'COUNT', 1000);
    for (const key of found) {
      const plan = parsePlanKey(key.slice(key.indexOf(HEAD_MARKER) + HEAD_MARKER.length));
      const head = plan ? await log.head(plan) : null;
      if (head) heads.push(head);
    }
    cursor = next;
  } while (cursor !== '0');
  return heads;
}
