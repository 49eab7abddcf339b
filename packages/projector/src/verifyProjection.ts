import type { Client } from '@elastic/elasticsearch';
import type { Redis } from 'ioredis';
import { collectObjectIds, foldPlan, parsePlanKey, planKey, type EventLog, type PlanHead } from '@planledger/core';
import { HEAD_MARKER, RedisPlanDirectory, type RedisKeys } from '@planledger/core/redis';
import { searchDocumentMismatches } from '@planledger/core/elasticsearch';
import type { ProjectionContext } from './projectionContext.js';

export interface VerifyResult {
  readonly plans: number;
  /** One line per difference between the projection and the fold of the log. */
  readonly mismatches: string[];
}

/**
 * Compares a projection with what the log says, plan by plan: every plan's head must equal the
 * fold of its events, and the projection must hold exactly the plan's current documents (search)
 * or listing entry and objectId lookups (read model), and nothing for plans that do not exist.
 */
export async function verifyProjection({ projection, redis, keys, log, es, alias }: ProjectionContext): Promise<VerifyResult> {
  const heads = await allHeads(redis, keys, log);
  const mismatches: string[] = [];
  for (const head of heads) {
    const folded = foldPlan(await log.events(head));
    if (folded.version !== head.version || JSON.stringify(folded.document) !== JSON.stringify(head.document)) mismatches.push(`${planKey(head)}: head differs from the fold of its log`);
  }
  const live = heads.filter((head) => head.document !== null);
  if (projection === 'search') mismatches.push(...(await verifySearch(es, alias, live)));
  else mismatches.push(...(await verifyDirectory(redis, keys, live)));
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

async function verifySearch(es: Client, alias: string, live: PlanHead[]): Promise<string[]> {
  const mismatches: string[] = [];
  await es.indices.refresh({ index: alias });
  for (const head of live) {
    const key = planKey(head);
    const found = await es.search<Record<string, unknown>>({ index: alias, routing: key, size: 10_000, version: true, query: { term: { planKey: key } } });
    mismatches.push(...searchDocumentMismatches(head, found.hits.hits));
  }
  const liveKeys = new Set(live.map((head) => planKey(head)));
  for (let after: Record<string, string> | undefined; ; ) {
    const page = await es.search({ index: alias, size: 0, aggs: { plans: { composite: { size: 1000, sources: [{ planKey: { terms: { field: 'planKey' } } }], ...(after ? { after } : {}) } } } });
    const agg = page.aggregations?.plans as { buckets: { key: { planKey: string } }[]; after_key?: Record<string, string> } | undefined;
    for (const bucket of agg?.buckets ?? []) if (!liveKeys.has(bucket.key.planKey)) mismatches.push(`${bucket.key.planKey}: documents of a plan that does not exist`);
    if (!agg?.after_key || agg.buckets.length === 0) break;
    after = agg.after_key;
  }
  return mismatches;
}

async function verifyDirectory(redis: Redis, keys: RedisKeys, live: PlanHead[]): Promise<string[]> {
  const directory = new RedisPlanDirectory(redis, keys.prefix, { generationCacheMs: 0 });
  const mismatches: string[] = [];
  const orgs = new Set([...live.map((head) => head.org), ...Object.keys(await directory.counts())]);
  for (const org of orgs) {
    const listed = new Map<string, number>();
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const page = await directory.list(org, { limit: 500, ...(cursor ? { cursor } : {}) });
      for (const item of page.items) listed.set(item.planId, item.version);
      cursor = page.next ?? undefined;
    }
    for (const head of live.filter((h) => h.org === org)) {
      if (listed.get(head.planId) !== head.version) mismatches.push(`${planKey(head)}: listed at version ${listed.get(head.planId) ?? 'none'}, log at ${head.version}`);
      listed.delete(head.planId);
    }
    for (const planId of listed.keys()) mismatches.push(`${planKey({ org, planId })}: listed but does not exist`);
  }
  for (const head of live) {
    for (const objectId of collectObjectIds(head.document)) {
      if (!(await directory.plansHolding(head.org, objectId)).includes(head.planId)) mismatches.push(`${planKey(head)}: objectId ${objectId} not indexed`);
    }
  }
  return mismatches;
}
