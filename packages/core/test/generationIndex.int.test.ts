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
  t.is(await refreshInterval(index), PLAN_INDEX_BODY.settings.refresh_interval);
  t.is(await count(alias), 1, 'searchable through the alias once active');
  t.is(await concreteIndex(client, alias), index);
});
