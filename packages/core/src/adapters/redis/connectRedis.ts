import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { coalesceWrites } from './coalesceWrites.js';

/** A connection to the log's Redis: one server (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`). Every adapter takes either. */
export type RedisClient = Redis | Cluster;

/** What `connectRedis` reads of the settings (see commonSettings). */
export interface RedisConnectionSettings {
  readonly redisUrl: string;
  /** Comma list of `host:port` seed nodes; when not empty, a Cluster client is used and `redisUrl` is ignored. */
  readonly redisClusterNodes: string;
  /** Send the commands of one event-loop turn in one socket write (see coalesceWrites); off when absent. */
  readonly coalesceRedisWrites?: boolean;
}

/** What the replica acknowledgement settings read: how many replicas must confirm an append, and how long to wait. */
export interface ReplicaAckSettings {
  readonly redisClusterNodes: string;
  /** -1: the default (1 on a cluster, 0 on one server). */
  readonly redisMinReplicaAcks: number;
  readonly redisReplicaAckTimeoutMs: number;
}

export interface ReplicaAcks {
  readonly count: number;
  readonly timeoutMs: number;
}

/**
 * Cluster options for a fast failover (cluster-node-timeout 2000 ms): a command that finds its
 * master gone is retried every `retryDelayOnFailover` ms after a slots refresh, and at most
 * `maxRedirections` times, so it rides over the few seconds until a replica is promoted; a
 * CLUSTERDOWN (slots uncovered meanwhile) is retried the same way.
 */
const CLUSTER_DEFAULTS: ClusterOptions = {
  retryDelayOnFailover: 300,
  retryDelayOnClusterDown: 300,
  retryDelayOnTryAgain: 100,
  maxRedirections: 32,
  slotsRefreshTimeout: 2000,
  slotsRefreshInterval: 2000,
  // A node that restarts (a killed master back as a replica) is reconnected to.
  clusterNodeRetryStrategy: (times) => Math.min(100 * times, 2000),
};

export function clusterNodesOf(list: string): { host: string; port: number }[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const match = /^(.+):(\d+)$/.exec(item);
      if (!match) throw new Error(`REDIS_CLUSTER_NODES: '${item}' is not host:port`);
      return { host: match[1]!, port: Number(match[2]) };
    });
}

/**
 * Connects to the log's Redis: a Cluster client when `REDIS_CLUSTER_NODES` names seed nodes,
 * else one server at `REDIS_URL`. `options` are the process's own ioredis options (retries,
 * command timeout …); on a cluster they apply to each node's connection, and `cluster` may
 * override the failover defaults above. With `coalesceRedisWrites`, one server's client sends the
 * commands of an event-loop turn in one write.
 */
export function connectRedis(settings: RedisConnectionSettings, options: RedisOptions = {}, cluster: ClusterOptions = {}): RedisClient {
  const nodes = clusterNodesOf(settings.redisClusterNodes);
  if (nodes.length === 0) {
    const redis = new Redis(settings.redisUrl, options);
    return settings.coalesceRedisWrites ? coalesceWrites(redis) : redis;
  }
  return new Cluster(nodes, { ...CLUSTER_DEFAULTS, ...cluster, redisOptions: { ...CLUSTER_NODE_DEFAULTS, ...options, ...cluster.redisOptions } });
}

/**
 * Each node connection's bounds on a cluster. A SIGKILLed master's socket stays open to the client
 * (nothing closes it), and without a bound a command sent on it waits for ever, even once the
 * replica serves the slot (seen: a relay's lease renewal, stuck for minutes after a failover).
 * With them, such a command fails after the timeout, the connection is dropped and made again, and
 * the slots are refreshed; the callers retry. Longer than any blocking read (`XREADGROUP BLOCK`,
 * at most 1 s) and than a `WAIT` for replicas.
 */
const CLUSTER_NODE_DEFAULTS: RedisOptions = { commandTimeout: 5_000, socketTimeout: 5_000, connectTimeout: 5_000 };

/** How many replicas must confirm an append (`WAIT`) before it is acknowledged. */
export function replicaAcksOf(settings: ReplicaAckSettings): ReplicaAcks {
  const clustered = clusterNodesOf(settings.redisClusterNodes).length > 0;
  return { count: settings.redisMinReplicaAcks >= 0 ? settings.redisMinReplicaAcks : clustered ? 1 : 0, timeoutMs: settings.redisReplicaAckTimeoutMs };
}

/** The servers keys live on: every master of a cluster (once it knows them), or the one server. */
export async function mastersOf(redis: RedisClient): Promise<Redis[]> {
  return redis instanceof Cluster ? (await ready(redis)).nodes('master') : [redis];
}

/** Every server: masters and replicas of a cluster, or the one server. */
export async function serversOf(redis: RedisClient): Promise<Redis[]> {
  return redis instanceof Cluster ? (await ready(redis)).nodes('all') : [redis];
}

/** Until a new client has learnt the cluster's nodes (one that knows them, even mid-failover, goes on). */
async function ready(cluster: Cluster): Promise<Cluster> {
  if (cluster.status !== 'ready' && cluster.nodes('all').length === 0) await new Promise((resolve) => cluster.once('ready', resolve));
  return cluster;
}

/**
 * Calls `found` with each batch of keys matching `pattern`, on every master (SCAN sees one
 * server's keys only). The batches are one server's keys but of many slots: act on them one key
 * a command (or per slot), never in one multi-key command.
 */
export async function scanKeys(redis: RedisClient, pattern: string, found: (keys: string[]) => Promise<void>): Promise<void> {
  for (const server of await mastersOf(redis)) {
    for (let cursor = '0'; ; ) {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await found(keys);
      if (next === '0') break;
      cursor = next;
    }
  }
}

/** Unlinks keys of any slots, one command a key (sent together). */
export async function unlinkKeys(redis: RedisClient, keys: readonly string[]): Promise<void> {
  await Promise.all(keys.map((key) => redis.unlink(key)));
}
