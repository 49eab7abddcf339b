import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRedisKeys, RedisEventLog, RedisPlanDirectory } from '@planledger/core/redis';
import { concreteIndex, temporalAlias } from '@planledger/core/elasticsearch';
import { PROJECTION_NAMES } from '@planledger/projector/projections';
import { verifyProjection } from '../../projector/src/verifyProjection.js';
import { connectTestElastic } from '../../core/test/elasticTestContext.js';
import { apiClient } from './apiClient.js';
import { waitForProjections, writeLoad } from './stackLoad.js';
import { startStack, type Stack, connectStackRedis } from './stackProcesses.js';

let stack: Stack;
const es = connectTestElastic();
test.before(async () => {
  stack = await startStack();
});
test.after.always(async () => {
  await stack?.stop();
  await es.close();
});

async function replay(projection: string): Promise<string> {
  const child = spawn(process.execPath, ['packages/projector/dist/replayMain.js', '--projection', projection], { env: stack.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`replay ${projection} exited ${code}: ${output}`);
  return output;
}

test('replay during writes › the rebuilt search index, read model and temporal index equal the fold of the log, and replace the old ones', async (t) => {
  const writer = await apiClient(stack.baseUrl, stack.env.OIDC_ISSUER ?? '', 'dev-writer');
  const alias = stack.env.ES_ALIAS ?? '';
  const redis = connectStackRedis(stack.env);
  t.teardown(() => redis.disconnect());
  const keys = createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: Number(stack.env.PARTITIONS) });
  const log = new RedisEventLog(redis, keys);

  const load = writeLoad(writer);
  await new Promise((r) => setTimeout(r, 1000));
  const indexBefore = await concreteIndex(es, alias);
  const searchOutput = await replay('search');
  const directoryOutput = await replay('directory');
  const temporalBefore = await concreteIndex(es, temporalAlias(alias));
  const asofOutput = await replay('asof');
  const writes = await load.stop();
  for (const output of [searchOutput, directoryOutput, asofOutput]) t.log(output.trim().split('\n').at(-1));
  t.log(`${writes} writes during the replays`);
  t.true(writes > 50, 'the writes were real');

  await waitForProjections(stack);
  const indexAfter = await concreteIndex(es, alias);
  t.not(indexAfter, indexBefore, 'the alias points at the rebuilt index');
  t.false(await es.indices.exists({ index: indexBefore ?? 'none' }), 'the old index is gone');
  t.not(await concreteIndex(es, temporalAlias(alias)), temporalBefore, 'the temporal alias points at its rebuilt index');
  t.not(await redis.get(RedisPlanDirectory.generationKey(keys.prefix)), null, 'the read model switched generation');
  for (const projection of PROJECTION_NAMES) {
    const verdict = await verifyProjection({ projection, redis, keys, log, es, alias });
    t.true(verdict.plans > 20);
    t.deepEqual(verdict.mismatches, [], `${projection} equals the fold of the log`);
  }
});
