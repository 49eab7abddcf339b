import type { Client } from '@elastic/elasticsearch';
import { concreteIndex } from './ensurePlanIndex.js';
import { withReplicas } from './planIndexMapping.js';

/** An index body whose settings may name the refresh interval readers get (none: Elasticsearch's default). */
export interface IndexBody {
  readonly settings: { readonly number_of_shards: number; readonly refresh_interval?: string };
}

/**
 * The index a rebuild fills before anyone reads it, created with `replicas` replicas and no
 * periodic refresh while it loads: nobody searches it yet, and every refresh would cut a small
 * segment for merges to rewrite. Durability stays per request and replicas stay on, so a node lost
 * during the rebuild loses nothing the rebuild was told was written.
 */
export async function createGenerationIndex(client: Client, index: string, body: IndexBody, replicas = 0): Promise<void> {
  const loading = withReplicas({ ...body, settings: { ...body.settings, refresh_interval: '-1' } }, replicas);
  await client.indices.create({ index, ...loading } as never);
  await client.cluster.health({ index, wait_for_status: 'yellow', timeout: '30s' });
}

/**
 * Gives the generation `index` the refresh interval of `body` (none named: back to
 * Elasticsearch's default, refreshed while searched), makes what it holds searchable, and
 * points `alias` (for reads and writes) at it instead of the index it named before, which is
 * returned (null: there was none). Resolves once every node has applied the switch.
 */
export async function activateGeneration(client: Client, alias: string, index: string, body: IndexBody): Promise<string | null> {
  // null resets the setting: an index whose interval was never set is left alone while nobody searches it.
  await client.indices.putSettings({ index, settings: { index: { refresh_interval: body.settings.refresh_interval ?? null } } } as never);
  await client.indices.refresh({ index });
  const old = await concreteIndex(client, alias);
  const actions: object[] = [{ add: { index, alias, is_write_index: true } }];
  if (old) actions.unshift({ remove: { index: old, alias } });
  // Acknowledged: every node has applied the switch, so no write resolves the alias to the old
  // index any more. Not within the timeout (a lagging node): wait for the master's queue to drain.
  const answer = await client.indices.updateAliases({ actions, timeout: '30s' } as never);
  if (!answer.acknowledged) await client.cluster.health({ wait_for_events: 'languid', timeout: '30s' });
  return old;
}
