import test from 'ava';
import { activateGeneration, concreteIndex, createGenerationIndex, ensurePlanIndex, JOIN_FIELD, PLAN_INDEX_BODY } from '../src/adapters/elasticsearch/index.js';
import { connectTestElastic, deleteAliasIndices } from './elasticTestContext.js';
import { randomPrefix } from './redisTestContext.js';

const client = connectTestElastic();
test.after.always(() => client.close());

const refreshInterval = async (index: string) => {
  const settings = await client.indices.getSettings({ index, name: 'index.refresh_interval' });
  return (settings[index]?.settings as { index?: { refresh_interval?: string } } | undefined)?.index?.refresh_interval;
};
const count = async (index: string) => (await client.count({ index })).count;

test('a generation loads without periodic refresh; activating it makes all it holds searchable and swaps the alias', async (t) => {
  const alias = randomPrefix('generation');
  t.teardown(() => deleteAliasIndices(client, alias));
  const live = await ensurePlanIndex(client, alias);
  const index = `${alias}-next`;
  await createGenerationIndex(client, index, PLAN_INDEX_BODY);
  t.is(await refreshInterval(index), '-1');
  await client.index({ index, id: 'p1', routing: 'p1', document: { planId: 'p1', objectId: 'p1', objectType: 'plan', [JOIN_FIELD]: { name: 'plan' } } });
  t.is(await count(index), 0, 'not searchable while it loads');
  t.is(await activateGeneration(client, alias, index, PLAN_INDEX_BODY), live, 'returns the index it replaced');
  t.is(await refreshInterval(index), undefined, 'back to Elasticsearch’s default: refreshed while searched');
  t.is(await count(alias), 1, 'searchable through the alias once active');
  t.is(await concreteIndex(client, alias), index);
});

test('an index nobody searched stops refreshing, and its next search still sees every write before it', async (t) => {
  const index = `${randomPrefix('idle')}-index`;
  t.teardown(() => client.indices.delete({ index, ignore_unavailable: true }));
  // The plan index's settings (no refresh_interval), search-idle after 1 s instead of 30 s.
  await client.indices.create({ index, settings: { ...PLAN_INDEX_BODY.settings, 'index.search.idle.after': '1s' } as never, mappings: PLAN_INDEX_BODY.mappings as never });
  const refreshes = async () => (await client.indices.stats({ index, metric: 'refresh' })).indices?.[index]?.primaries?.refresh?.total ?? -1;
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const idle = await refreshes();
  for (const id of ['p1', 'p2', 'p3']) await client.index({ index, id, routing: id, document: { planId: id, objectId: id, objectType: 'plan', [JOIN_FIELD]: { name: 'plan' } } });
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  t.is(await refreshes(), idle, 'no periodic refresh while nobody searches');
  t.is(await count(index), 3, 'the next search sees all three writes');
});
