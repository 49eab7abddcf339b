import type { Client } from '@elastic/elasticsearch';
import { canonicalJson } from '../../canonicalJson.js';
import { isBulkFailure } from './ElasticPlanIndex.js';
import { planKey } from '../../planRef.js';
import { expectedSearchDocuments, type SearchHead } from './expectedSearchDocuments.js';

/** What a repair of one plan's documents did. */
export interface SearchRepair {
  /** Documents (re)written at the plan's version, and extra documents deleted. */
  readonly written: number;
  readonly deleted: number;
  /** Documents Elasticsearch refused because it holds a newer version: a live write got there first. */
  readonly superseded: number;
  /**
   * Documents refused although the index holds none: deleted behind the projector's back, their
   * delete's (internal, higher) version is remembered for `index.gc_deletes` (60 s by default);
   * a later attempt succeeds once it is forgotten.
   */
  readonly blocked: number;
}

interface Hit {
  readonly _id?: string;
  readonly _version?: number;
  readonly _source?: unknown;
}

/**
 * Makes the index hold exactly `head`'s documents for one plan, under the same guard the live
 * projector writes with: every write carries an external version, so a live write of a newer
 * version always wins. Missing or different documents are indexed with `version_type=external_gte`
 * at the plan's version (equal is allowed, so a document tampered with at the same version is
 * overwritten; a newer one is kept). Extra documents are deleted at the version they carry
 * (`external_gte`), so a document the live projector rewrote meanwhile survives. A document whose
 * version is above the plan's cannot be fixed without breaking that guard and is left (verify
 * reports it again).
 */
export async function repairPlanDocuments(client: Client, alias: string, head: SearchHead): Promise<SearchRepair> {
  const key = planKey(head);
  const found = await client.search<Record<string, unknown>>({ index: alias, routing: key, size: 10_000, version: true, query: { term: { planKey: key } } });
  const hits = new Map((found.hits.hits as Hit[]).map((hit) => [hit._id ?? '', hit]));
  const operations: object[] = [];
  let written = 0;
  let deleted = 0;
  for (const document of expectedSearchDocuments(head)) {
    const hit = hits.get(document.id);
    hits.delete(document.id);
    const version = hit?._version ?? 0;
    const sameSource = hit !== undefined && canonicalJson(hit._source) === canonicalJson(document.source);
    if (sameSource && version >= 1 && version <= head.version) continue;
    if (version > head.version) continue;
    operations.push({ index: { _index: alias, _id: document.id, routing: document.routing, version: head.version, version_type: 'external_gte' } }, document.source);
    written += 1;
  }
  for (const [id, hit] of hits) {
    operations.push({ delete: { _index: alias, _id: id, routing: key, version: Math.max(1, hit._version ?? 1), version_type: 'external_gte' } });
    deleted += 1;
  }
  if (operations.length === 0) return { written: 0, deleted: 0, superseded: 0, blocked: 0 };
  const response = await client.bulk({ operations, refresh: false } as never);
  const items = (response as { items: Record<string, { _id: string; status: number; result?: string; error?: unknown }>[] }).items.map((item) => [Object.keys(item)[0], Object.values(item)[0]!] as const);
  const failed = items.filter(([, item]) => isBulkFailure(item));
  if (failed.length > 0) throw new Error(`Elasticsearch refused ${failed.length} repair write(s) of ${key}: ${JSON.stringify(failed[0]?.[1].error)}`);
  const refused = items.filter(([action, item]) => action === 'index' && item.status === 409).map(([, item]) => item._id);
  const absent = refused.length === 0 ? [] : (await client.mget({ index: alias, routing: key, ids: refused })).docs.filter((doc) => !('found' in doc && doc.found));
  return { written, deleted, superseded: refused.length - absent.length, blocked: absent.length };
}
