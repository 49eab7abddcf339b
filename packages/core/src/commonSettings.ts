import { setting } from './readConfig.js';

/** Settings more than one process reads; each main.ts picks what it needs. */
export const commonSettings = {
  redisUrl: setting('url', 'REDIS_URL', "The event log's Redis (AOF with appendfsync always).", 'redis://127.0.0.1:6380'),
  redisClusterNodes: setting('string', 'REDIS_CLUSTER_NODES', 'Comma list of host:port seed nodes of a Redis Cluster holding the log; when set, used instead of REDIS_URL.', ''),
  redisMinReplicaAcks: setting('integer', 'REDIS_MIN_REPLICA_ACKS', 'Replicas that must confirm an append (WAIT) before it is acknowledged; -1: 1 with REDIS_CLUSTER_NODES, else 0.', -1),
  redisReplicaAckTimeoutMs: setting('integer', 'REDIS_REPLICA_ACK_TIMEOUT_MS', 'How long an append waits for its replica confirmations before it fails as unconfirmed.', 1000),
  coalesceRedisWrites: setting('boolean', 'REDIS_COALESCE_WRITES', 'Send the Redis commands of one event-loop turn in one socket write (api, relay, projector): fewer system calls per request and per change.', true),
  allowNonDurableRedis: setting('boolean', 'ALLOW_NON_DURABLE_REDIS', 'Accept a log Redis without AOF appendfsync always (tests only).', false),
  amqpUrl: setting('url', 'AMQP_URL', 'RabbitMQ the relay publishes to and projectors consume from.', 'amqp://guest:guest@127.0.0.1:5672'),
  esUrl: setting('url', 'ES_URL', 'Elasticsearch holding the search index.', 'http://127.0.0.1:9200'),
  partitions: setting('integer', 'PARTITIONS', 'How many partitions plans hash to (the same for every process).', 16),
  keyPrefix: setting('string', 'KEY_PREFIX', 'Prefix of every Redis key.', 'pl'),
  amqpNamespace: setting('string', 'AMQP_NAMESPACE', 'Prefix of every RabbitMQ exchange and queue.', 'planledger'),
  deliveryLimit: setting('integer', 'DELIVERY_LIMIT', 'Deliveries of one message before it is dead-lettered.', 5),
  esAlias: setting('string', 'ES_ALIAS', 'Alias of the plan search index.', 'plans'),
  esRequestTimeoutMs: setting('integer', 'ES_REQUEST_TIMEOUT_MS', 'How long one Elasticsearch request may take before it counts as failed.', 30_000),
  logLevel: setting('string', 'LOG_LEVEL', 'pino log level.', 'info'),
  amqpUrls: setting('urls', 'AMQP_URLS', 'RabbitMQ cluster nodes, comma-separated (empty: AMQP_URL alone); processes connect to the first that answers and move to another when the connection drops.', []),
  amqpHeartbeatS: setting('integer', 'AMQP_HEARTBEAT_S', 'AMQP heartbeat in seconds, so a dead or half-open broker connection is noticed (0: off).', 5),
  amqpQuorumGroupSize: setting('integer', 'AMQP_QUORUM_GROUP_SIZE', 'Initial members of each quorum queue the topology declares (0: the broker default, every cluster node).', 0),
  esNodes: setting('urls', 'ES_NODES', 'Elasticsearch cluster nodes, comma-separated (empty: ES_URL alone); requests go to any live one.', []),
  esReplicas: setting('integer', 'ES_REPLICAS', 'Replicas of the plan and temporal indices created from now on.', 0),
};

/** The broker nodes to connect to: AMQP_URLS, or AMQP_URL when that is empty. */
export function amqpUrlsOf({ amqpUrls, amqpUrl }: { amqpUrls: readonly string[]; amqpUrl: string }): readonly string[] {
  return amqpUrls.length > 0 ? amqpUrls : [amqpUrl];
}

/** The Elasticsearch nodes to send requests to: ES_NODES, or ES_URL when that is empty. */
export function esNodesOf({ esNodes, esUrl }: { esNodes: readonly string[]; esUrl: string }): readonly string[] {
  return esNodes.length > 0 ? esNodes : [esUrl];
}
