import type { Client } from '@elastic/elasticsearch';
import { parsePlanKey } from '@planledger/core';
import type { Mismatch } from './Projection.js';

/**
 * An `extra` mismatch for every plan the index holds documents of but `known` lacks: the index's
 * plan keys, read 1,000 at a time by a composite aggregation. `what` ends each detail line.
 */
export async function extraPlans(es: Client, index: string, known: ReadonlySet<string>, what: string, signal?: AbortSignal): Promise<Mismatch[]> {
  const extra: Mismatch[] = [];
  for (let after: Record<string, string> | undefined; ; ) {
    signal?.throwIfAborted();
    const page = await es.search({ index, size: 0, aggs: { plans: { composite: { size: 1000, sources: [{ planKey: { terms: { field: 'planKey' } } }], ...(after ? { after } : {}) } } } });
    const agg = page.aggregations?.plans as { buckets: { key: { planKey: string } }[]; after_key?: Record<string, string> } | undefined;
    for (const bucket of agg?.buckets ?? []) {
      if (known.has(bucket.key.planKey)) continue;
      const { org, planId } = parsePlanKey(bucket.key.planKey) ?? { org: '', planId: bucket.key.planKey };
      extra.push({ org, planId, kind: 'extra', expectedVersion: null, actualVersion: null, detail: `${bucket.key.planKey}: ${what}` });
    }
    if (!agg?.after_key || agg.buckets.length === 0) return extra;
    after = agg.after_key;
  }
}
