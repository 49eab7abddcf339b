import { randomUUID } from 'node:crypto';
import { connectRedis, replicaAcksOf, scanKeys, unlinkKeys, type RedisClient } from '../src/adapters/redis/index.js';

/** The Redis the tests use: the project-owned AOF Redis unless REDIS_URL says otherwise. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6380';
/** A Redis Cluster's seed nodes: when set, the tests run on the cluster instead of TEST_REDIS_URL. */
export const TEST_REDIS_CLUSTER_NODES = process.env.REDIS_CLUSTER_NODES ?? '';

/** On a cluster, appends in tests wait for one replica (as the api does there); on one server, none. */
export const TEST_REPLICA_ACKS = replicaAcksOf({ redisClusterNodes: TEST_REDIS_CLUSTER_NODES, redisMinReplicaAcks: -1, redisReplicaAckTimeoutMs: 2_000 });

export function randomPrefix(kind = 'test'): string {
  return `${kind}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under a prefix (tests clean up what they made), on every master of a cluster. */
export async function deleteKeys(redis: RedisClient, prefix: string): Promise<void> {
  await scanKeys(redis, `${prefix}:*`, (keys) => unlinkKeys(redis, keys));
}

/** Every key under a prefix, from every master of a cluster. */
export async function keysUnder(redis: RedisClient, prefix: string): Promise<string[]> {
  const found: string[] = [];
  await scanKeys(redis, `${prefix}:*`, async (keys) => {
    found.push(...keys);
  });
  return found;
}

/** The tests' Redis: the cluster when REDIS_CLUSTER_NODES is set, else TEST_REDIS_URL. */
export function connectTestRedis(): RedisClient {
  return connectRedis({ redisUrl: TEST_REDIS_URL, redisClusterNodes: TEST_REDIS_CLUSTER_NODES }, { maxRetriesPerRequest: 2 });
}
