#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { commonSettings, readConfig } from '@planledger/core';
import { createRedisKeys, RedisEventLog, RedisPartitionLog } from '@planledger/core/redis';
import { createElasticClient } from '@planledger/core/elasticsearch';
import { findProjection, PROJECTION_NAMES } from './projections/index.js';
import { rebuildProjection } from './rebuildProjection.js';
import { runProcess } from './runProcess.js';
import { verifyProjection } from './verifyProjection.js';

const USAGE = `usage: npm run replay -- --projection ${PROJECTION_NAMES.join('|')} [--from 0] [--verify]
Rebuilds a projection straight from the log into a fresh generation while everything keeps
running (each plan folded and written once), switches readers and live projectors to it, and
drops the old one.
  --projection  ${PROJECTION_NAMES.join(', ')}
  --from        0 (default): the whole log
  --verify      afterwards, compare the projection with the fold of the log, plan by plan`;

const { values } = parseArgs({ options: { projection: { type: 'string' }, from: { type: 'string', default: '0' }, verify: { type: 'boolean', default: false }, help: { type: 'boolean' } } });
const found = findProjection(values.projection ?? '');
if (values.help || !found || values.from !== '0') {
  process.stderr.write(`${USAGE}\n`);
  process.exit(values.help ? 0 : 2);
}
if (found.formerName) process.stderr.write(`replay: --projection ${found.formerName} is deprecated; it is now called ${found.projection.name}\n`);
const projection = found.projection.name;
const config = readConfig(commonSettings, process.env);

const duration = (seconds: number) => (seconds >= 90 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${Math.round(seconds)} s`);

await runProcess('replay', config.logLevel, async (logger) => {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const keys = createRedisKeys({ prefix: config.keyPrefix, partitions: config.partitions });
  const log = new RedisEventLog(redis, keys);
  const es = createElasticClient({ url: config.esUrl, requestTimeoutMs: config.esRequestTimeoutMs });
  const close = async () => {
    redis.disconnect();
    await es.close();
  };
  const work = async () => {
    let lastPrint = 0;
    const result = await rebuildProjection({
      projection,
      redis,
      keys,
      log,
      partitionLog: new RedisPartitionLog(redis, keys),
      es,
      alias: config.esAlias,
      logger,
      onProgress: ({ phase, events, total, eventsPerSecond, etaSeconds, partitionsDone, partitions }) => {
        if (Date.now() - lastPrint < 1000 && partitionsDone < partitions) return;
        lastPrint = Date.now();
        const of = total === null ? '' : ` of ${total} (${Math.min(100, (100 * events) / Math.max(total, 1)).toFixed(1)}%)`;
        const eta = etaSeconds === null ? '' : `, ETA ${duration(etaSeconds)}`;
        process.stdout.write(`replay ${projection}: ${phase} ${events} events${of}, ${Math.round(eventsPerSecond)} events/s${eta}, ${partitionsDone}/${partitions} partitions done\n`);
      },
    });
    process.stdout.write(
      `replay ${projection}: rebuilt ${result.target} from ${result.events} events in ${result.seconds.toFixed(1)} s ` +
        `(${Math.round(result.events / Math.max(result.seconds, 0.001))} events/s); replaced ${result.replaced ?? 'nothing'}\n`,
    );
    if (values.verify) {
      const verdict = await verifyProjection({ projection, redis, keys, log, es, alias: config.esAlias });
      process.stdout.write(`verify ${projection}: ${verdict.plans} plans, ${verdict.mismatches.length} mismatches\n`);
      for (const line of verdict.mismatches.slice(0, 50)) process.stdout.write(`  ${line}\n`);
      if (verdict.mismatches.length > 0) process.exitCode = 1;
    }
    await close();
  };
  return { done: work(), stop: close };
});
