import type { Client } from '@elastic/elasticsearch';
import { PLAN_INDEX_BODY } from './planIndexMapping.js';

/**
 * Makes sure `alias` points at a plan index, creating `<alias>-000001` with the join mapping (or `body`)
 * when the alias is missing. Returns the concrete index name. Safe to call from several processes.
 */
export async function ensurePlanIndex(client: Client, alias: string, body: object = PLAN_INDEX_BODY): Promise<string> {
  const existing = await concreteIndex(client, alias);
  if (existing) return existing;
  const index = `${alias}-000001`;
  try {
    await client.indices.create({ index, ...body, aliases: { [alias]: { is_write_index: true } } } as never);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  await client.cluster.health({ index, wait_for_status: 'yellow', timeout: '30s' });
  return index;
}

export async function concreteIndex(client: Client, alias: string): Promise<string | null> {
  if (!(await client.indices.existsAlias({ name: alias }))) return null;
  const aliases = await client.indices.getAlias({ name: alias });
  return Object.keys(aliases)[0] ?? null;
}

function isAlreadyExists(error: unknown): boolean {
  const type = (error as { body?: { error?: { type?: string } } }).body?.error?.type;
  return type === 'resource_already_exists_exception';
}
