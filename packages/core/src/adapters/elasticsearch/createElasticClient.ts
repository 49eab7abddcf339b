import { Client } from '@elastic/elasticsearch';

/**
 * An Elasticsearch client that speaks plain `application/json`, which Elasticsearch 7.17, 8 and 9
 * all accept (the client's default vendored media type is refused by 7.17).
 */
export function createElasticClient({ url, requestTimeoutMs = 30_000 }: { url: string; requestTimeoutMs?: number }): Client {
  return new Client({
    node: url,
    requestTimeout: requestTimeoutMs,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
  });
}
