/** Error codes of a connection that failed or dropped (Node's net and dns). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Elasticsearch client errors of a node that cannot be reached (by class name). */
const ELASTIC_CONNECTION_ERRORS = new Set(['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError']);

/** Messages of ioredis (a lost, silent or busy server: `commandTimeout`, `socketTimeout`; a cluster in failover) and amqplib (a closed connection or channel). */
const UNAVAILABLE_MESSAGE =
  /Command timed out|Socket timeout|Connection is closed|Command aborted due to connection close|Too many Cluster redirections|Failed to refresh slots cache|None of startup nodes is available|Cluster isn't ready|Stream isn't writeable|max retries per request|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|Connection closed|Channel closed|Channel ended|Socket closed abruptly|Unexpected close|Heartbeat timeout/;

/**
 * Whether a failure is a dependency (Elasticsearch, Redis, RabbitMQ, the network) being
 * unavailable: worth waiting for or answering 503, rather than something wrong with the request
 * or message. Classifies by shape, importing no client library: an error that says whether it is
 * `transient` (a boolean property, e.g. the search index's `BulkRejected`) decides for itself;
 * an Elasticsearch response is transient on 429 and 5xx.
 */
export function isTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { transient, name, statusCode, code, message } = error as { transient?: unknown; name?: unknown; statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof transient === 'boolean') return transient;
  if (typeof name === 'string' && ELASTIC_CONNECTION_ERRORS.has(name)) return true;
  if (name === 'ResponseError' && typeof statusCode === 'number') return statusCode === 429 || statusCode >= 500;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}
