import { JOIN_FIELD, JOIN_RELATIONS } from './planSearchDocuments.js';
import { TEMPORAL_JOIN_RELATIONS } from './temporalDocuments.js';

const keyword = { type: 'keyword' } as const;
const amount = { type: 'double' } as const;
/** Dates are written in their canonical form `YYYY-MM-DD`, or null (see planSearchDocuments). */
const day = { type: 'date', format: 'strict_date' } as const;

/**
 * Settings and mappings of the versioned index behind the `plans` alias. No custom analyzers,
 * normalizers or scripts: the same mapping serves Elasticsearch 7.17 (without analysis-common or
 * painless), 8 and 9.
 *
 * No `refresh_interval`: Elasticsearch's own refreshes the index every second while it is
 * searched, and not at all once nobody searched it for `index.search.idle.after` (30 s); the next
 * search refreshes it first, so it sees every write before it, never staler than every second. An
 * index written but not searched (the temporal one between auditors' searches, any index between
 * bursts of searches) then cuts no segment a second for merges to rewrite: a one-field PATCH cost
 * Elasticsearch 0.55 ms of CPU with an explicit `1s` and 0.14–0.17 ms without (bench cpuPerWrite,
 * no searches during the run).
 */
export const PLAN_INDEX_BODY = {
  settings: { number_of_shards: 1, number_of_replicas: 0 },
  mappings: {
    dynamic: false,
    properties: {
      [JOIN_FIELD]: { type: 'join', relations: JOIN_RELATIONS, eager_global_ordinals: true },
      planId: keyword,
      planKey: keyword,
      objectId: keyword,
      objectType: keyword,
      _org: keyword,
      planType: keyword,
      creationDate: day,
      name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
      deductible: amount,
      copay: amount,
    },
  },
} as const;

/** The temporal index behind `<alias>-asof`: the same fields, anchors and versions as relations, and each version's interval. */
export const TEMPORAL_INDEX_BODY = {
  settings: PLAN_INDEX_BODY.settings,
  mappings: {
    ...PLAN_INDEX_BODY.mappings,
    properties: {
      ...PLAN_INDEX_BODY.mappings.properties,
      [JOIN_FIELD]: { type: 'join', relations: TEMPORAL_JOIN_RELATIONS, eager_global_ordinals: true },
      validFrom: { type: 'long' },
      validTo: { type: 'long' },
    },
  },
} as const;

/** `body` with `replicas` replicas of its shard (ES_REPLICAS): 0 on one node; 1 on a cluster keeps every document on two nodes. */
export function withReplicas<B extends { settings: object }>(body: B, replicas = 0): B {
  return { ...body, settings: { ...body.settings, number_of_replicas: replicas } };
}
