import { errors } from '@elastic/elasticsearch';
import { BulkRejected } from './ElasticPlanIndex.js';

/**
 * Whether a failure is a dependency (Elasticsearch, Redis, the network) being unavailable: worth
 * waiting for or answering 503, rather than something wrong with the request or message.
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError) {
    return true;
  }
  if (error instanceof BulkRejected) return error.transient;
  if (error instanceof errors.ResponseError) return error.statusCode === 429 || (error.statusCode ?? 0) >= 500;
  const code = (error as { code?: string } | null)?.code;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(code)) return true;
  const message = String((error as Error | null)?.message ?? '');
  return /Connection is closed|Stream isn't writeable|max retries per request|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN/.test(message);
}
