import { Cluster, Redis } from 'ioredis';
import { TEST_REDIS_URL } from '../../core/test/redisTestContext.js';

/** The stack's Redis settings as a comma list of `host:port` cluster seeds, or null for one node. */
export const clusterNodesOf = (env: Record<string, string | undefined>): { host: string; port: number }[] | null => {
  const list = (env.REDIS_CLUSTER_NODES ?? '').split(',').map((node) => node.trim()).filter(Boolean);
  return list.length === 0 ? null : list.map((node) => ({ host: node.slice(0, node.lastIndexOf(':')), port: Number(node.slice(node.lastIndexOf(':') + 1)) }));
};

/**
 * A client for the Redis a stack runs on: a Redis Cluster client when `REDIS_CLUSTER_NODES` is set,
 * else one node at `REDIS_URL`. Typed as `Redis` until the adapters take core's `RedisClient`
 * (the cluster client answers the same commands, keys of one plan share a slot).
 */
export function connectStackRedis(env: Record<string, string | undefined>): Redis {
  const nodes = clusterNodesOf(env);
  if (nodes === null) return new Redis(env.REDIS_URL ?? TEST_REDIS_URL, { maxRetriesPerRequest: 5 });
  return new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 5 } }) as unknown as Redis;
}

/** Every key under a prefix, from every master when the stack runs on a cluster. */
export async function scanStackKeys(redis: Redis, pattern: string): Promise<string[]> {
  const client = redis as unknown;
  const nodes = client instanceof Cluster ? client.nodes('master') : [redis];
  const found: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  return found;
}

/** Deletes every key under a prefix, one key per command so that no command spans cluster slots. */
export async function deleteStackKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await scanStackKeys(redis, `${prefix}:*`);
  for (let i = 0; i < keys.length; i += 500) await Promise.all(keys.slice(i, i + 500).map((key) => redis.unlink(key)));
}
