#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { commonSettings, readConfig } from '@planledger/core';
import { assertDurableRedis, createRedisKeys, RedisEventLog, connectRedis, replicaAcksOf } from '@planledger/core/redis';
import { relayoutLog } from './relayoutLog.js';
import { runProcess } from './runProcess.js';

const USAGE = `usage: npm run relayout -- --from-prefix OLD [--from-partitions 16]
Copies a log written by an older release (keys under OLD) into today's layout under KEY_PREFIX,
event by event through the atomic append; resumable. Then rebuild both projections with
npm run replay. The old keys are left as they were.
  --from-prefix      key prefix of the old log (must differ from KEY_PREFIX)
  --from-partitions  partition count of the old log (default: PARTITIONS)`;

const { values } = parseArgs({ options: { 'from-prefix': { type: 'string' }, 'from-partitions': { type: 'string' }, help: { type: 'boolean' } }, strict: false });
const config = readConfig(commonSettings, process.env);
const fromPrefix = typeof values['from-prefix'] === 'string' ? values['from-prefix'] : '';
const fromPartitions = Number(values['from-partitions'] ?? config.partitions);
const problem = values.help ? '' : fromPrefix === '' ? 'give --from-prefix' : fromPrefix === config.keyPrefix ? '--from-prefix must differ from KEY_PREFIX' : !Number.isInteger(fromPartitions) || fromPartitions < 1 ? '--from-partitions must be a whole number from 1' : null;
if (problem !== null) {
  process.stderr.write(`${problem ? `relayout: ${problem}\n` : ''}${USAGE}\n`);
  process.exit(values.help ? 0 : 2);
}

await runProcess('relayout', config.logLevel, async () => {
  const redis = connectRedis(config, { maxRetriesPerRequest: null });
  await assertDurableRedis(redis, { allowNonDurable: config.allowNonDurableRedis });
  const to = new RedisEventLog(redis, createRedisKeys({ prefix: config.keyPrefix, partitions: config.partitions }), { replicaAcks: replicaAcksOf(config) });
  const work = async () => {
    const started = Date.now();
    const { copied, skipped } = await relayoutLog({ redis, fromPrefix, fromPartitions, to, onProgress: (c, s) => process.stdout.write(`relayout: ${c} events copied, ${s} already there\n`) });
    process.stdout.write(`relayout: done, ${copied} events copied and ${skipped} already there in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    redis.disconnect();
  };
  return { done: work(), stop: async () => redis.disconnect() };
});
