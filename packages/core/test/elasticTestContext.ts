import type { Client } from '@elastic/elasticsearch';
import { createElasticClient } from '../src/adapters/elasticsearch/index.js';

export const TEST_ES_URL = process.env.ES_URL ?? 'http://127.0.0.1:9200';
/** Every node of the test cluster (ES_NODES), or ES_URL alone. */
export const TEST_ES_NODES: readonly string[] = process.env.ES_NODES ? process.env.ES_NODES.split(',').map((node) => node.trim()).filter(Boolean) : [TEST_ES_URL];

export function connectTestElastic(): Client {
  return createElasticClient({ nodes: TEST_ES_NODES });
}

/** Removes the indices behind a test alias. */
export async function deleteAliasIndices(client: Client, alias: string): Promise<void> {
  await client.indices.delete({ index: `${alias}-*`, ignore_unavailable: true, allow_no_indices: true });
}

/** Plan ids of the plans that match a query on the alias (after a refresh). */
export async function matchingPlans(client: Client, alias: string, query: object): Promise<string[]> {
  await client.indices.refresh({ index: alias });
  const response = await client.search<{ planId: string }>({ index: alias, query: query as never, size: 100 });
  return [...new Set(response.hits.hits.map((hit) => hit._source?.planId ?? ''))].sort();
}
