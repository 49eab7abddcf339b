/**
 * Append throughput of the event log (RedisEventLog.append, each writer appending to its own
 * plan one event after another) on one Redis and on the Redis Cluster, the latter without and
 * with the replica confirmation (`WAIT 1`) the api uses there. Prints ops/s; asserts nothing.
 * Run through `npm run bench -- replicaAckBench` with the cluster of scripts/redis-cluster.sh up.
 * Sizes: BENCH_CONNECTIONS concurrent appends (16), BENCH_SECONDS per run (10).
 */
import { randomUUID } from 'node:crypto';
import { EVENT_SCHEMA_VERSION, type PlanDocument, type PlanEvent } from '../packages/core/src/index.js';
import { connectRedis, createRedisKeys, RedisEventLog, scanKeys, unlinkKeys, type RedisClient, type ReplicaAcks } from '../packages/core/src/adapters/redis/index.js';

const writers = Number(process.env.BENCH_CONNECTIONS ?? 16);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const single = process.env.REDIS_URL ?? 'redis://127.0.0.1:6380';
const cluster = process.env.REDIS_CLUSTER_NODES || '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003';

async function appendsPerSecond(redis: RedisClient, replicaAcks?: ReplicaAcks): Promise<number> {
  const prefix = `bench-acks-${randomUUID().slice(0, 8)}`;
  const log = new RedisEventLog(redis, createRedisKeys({ prefix, partitions: 16 }), replicaAcks ? { replicaAcks } : {});
  const until = Date.now() + seconds * 1000;
  let appended = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      const plan = { org: 'example.com', planId: `plan-${randomUUID()}` };
      for (let version = 1; Date.now() < until; version += 1) {
        const document = { objectId: plan.planId, objectType: 'plan', _org: plan.org, counter: version } as PlanDocument;
        const event: PlanEvent = {
          ...plan,
          version,
          type: version === 1 ? 'created' : 'patched',
          patch: version === 1 ? [{ op: 'add', path: '', value: document }] : [{ op: 'replace', path: '/counter', value: version }],
          actor: 'bench',
          at: new Date().toISOString(),
          requestId: randomUUID(),
          schemaVersion: EVENT_SCHEMA_VERSION,
        };
        await log.append({ event, document });
        appended += 1;
      }
    }),
  );
  await scanKeys(redis, `${prefix}:*`, (keys) => unlinkKeys(redis, keys));
  return Math.round(appended / seconds);
}

const runs: [string, () => RedisClient, ReplicaAcks | undefined][] = [
  ['one Redis (AOF always), no WAIT', () => connectRedis({ redisUrl: single, redisClusterNodes: '' }), undefined],
  ['cluster (AOF always), no WAIT', () => connectRedis({ redisUrl: '', redisClusterNodes: cluster }), undefined],
  ['cluster (AOF always), WAIT 1', () => connectRedis({ redisUrl: '', redisClusterNodes: cluster }), { count: 1, timeoutMs: 1000 }],
];
process.stdout.write(`| appends, ${writers} concurrent, ${seconds} s | ops/s |\n|---|---|\n`);
for (const [name, connect, acks] of runs) {
  const redis = connect();
  process.stdout.write(`| ${name} | ${await appendsPerSecond(redis, acks)} |\n`);
  redis.disconnect();
}
