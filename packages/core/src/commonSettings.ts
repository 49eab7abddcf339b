import { setting } from './readConfig.js';

/** Settings more than one process reads; each main.ts picks what it needs. */
export const commonSettings = {
  redisUrl: setting('url', 'REDIS_URL', "The event log's Redis (AOF with appendfsync always).", 'redis://127.0.0.1:6380'),
  redisClusterNodes: setting('string', 'REDIS_CLUSTER_NODES', 'Comma list of host:port seed nodes of a Redis Cluster holding the log; when set, used instead of REDIS_URL.', ''),
  redisMinReplicaAcks: setting('integer', 'REDIS_MIN_REPLICA_ACKS', 'Replicas that must confirm an append (WAIT) before it is acknowledged; -1: 1 with REDIS_CLUSTER_NODES, else 0.', -1),
  redisReplicaAckTimeoutMs: setting('integer', 'REDIS_REPLICA_ACK_TIMEOUT_MS', 'How long an append waits for its replica confirmations before it fails as unconfirmed.', 1000),
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
};
