import { Client } from '@elastic/elasticsearch';

/**
 * An Elasticsearch client that speaks plain `application/json`, which Elasticsearch 7.17, 8 and 9
 * all accept (the client's default vendored media type is refused by 7.17). Given a cluster's
 * nodes (ES_NODES), it spreads requests over them and sends a request that could not reach one
 * node to another (the client marks the node dead and pings it back to life).
 */
export function createElasticClient({ nodes, requestTimeoutMs = 30_000 }: { nodes: string | readonly string[]; requestTimeoutMs?: number }): Client {
  return new Client({
    nodes: typeof nodes === 'string' ? [nodes] : [...nodes],
    requestTimeout: requestTimeoutMs,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
  });
}
