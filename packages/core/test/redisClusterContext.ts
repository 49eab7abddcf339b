import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { connectRedis, serversOf } from '../src/adapters/redis/index.js';

/** The cluster of scripts/redis-cluster.sh (the cluster env's seed nodes by default). */
export const TEST_CLUSTER_NODES = process.env.REDIS_CLUSTER_NODES || '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003';
const SCRIPT = fileURLToPath(new URL('../../../scripts/redis-cluster.sh', import.meta.url));
const run = promisify(execFile);

/** Runs scripts/redis-cluster.sh (kill PORT, restart PORT, status …); resolves with its output. */
export const clusterScript = async (...args: string[]) => (await run('bash', [SCRIPT, ...args], { timeout: 120_000 })).stdout;

/** A Cluster client of the test cluster, as the processes connect. */
export function connectTestCluster(): Cluster {
  const redis = connectRedis({ redisUrl: '', redisClusterNodes: TEST_CLUSTER_NODES }, { maxRetriesPerRequest: 2 });
  if (!(redis instanceof Cluster)) throw new Error('REDIS_CLUSTER_NODES names no cluster');
  return redis;
}

export interface Shard {
  readonly master: number;
  readonly replicas: number[];
}

/** Which node serves a key's slot now, and its replicas (ports), as a live node sees it. */
export async function shardOf(redis: Cluster, key: string): Promise<Shard> {
  // Asked over a connection of its own to each node (the cluster client's may be busy retrying a dead one).
  const addresses = [...new Set((await serversOf(redis)).map((node) => `${node.options.host ?? '127.0.0.1'}:${node.options.port ?? 0}`))];
  for (const address of addresses) {
    const [host, port] = address.split(':') as [string, string];
    const node = new Redis({ host, port: Number(port), lazyConnect: true, connectTimeout: 500, commandTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: true });
    node.on('error', () => undefined);
    const [slot, text] = await Promise.all([node.cluster('KEYSLOT', key), node.cluster('NODES')]).catch(() => [null, null]);
    node.disconnect();
    if (slot === null || typeof text !== 'string') continue;
    const lines = text.trim().split('\n').map((line) => line.split(' '));
    const portOf = (at: string) => Number(at.split('@')[0]!.split(':')[1]);
    const master = lines.find(([, , flags, , , , , , ...ranges]) => flags!.includes('master') && !flags!.includes('fail') && ranges.some((range) => covers(range, Number(slot))));
    if (!master) continue;
    const replicas = lines.filter((line) => line[3] === master[0] && !line[2]!.includes('fail')).map((line) => portOf(line[1]!));
    return { master: portOf(master[1]!), replicas };
  }
  throw new Error(`no live node knows who serves the slot of ${key}`);
}

function covers(range: string, slot: number): boolean {
  const [low, high = low] = range.split('-').map(Number) as [number, number?];
  return slot >= low && slot <= (high ?? low);
}
