import { serversOf, type RedisClient } from './connectRedis.js';

/**
 * Refuses a log Redis that would lose acknowledged writes: AOF must be on with
 * `appendfsync always` on every server (each master and replica of a cluster: a replica
 * promoted in a failover is the log from then on). Tests and throwaway setups may pass
 * `allowNonDurable`.
 */
export async function assertDurableRedis(redis: RedisClient, { allowNonDurable }: { allowNonDurable: boolean }): Promise<void> {
  for (const server of await serversOf(redis)) {
    const [, appendonly] = (await server.config('GET', 'appendonly')) as [string, string];
    const [, appendfsync] = (await server.config('GET', 'appendfsync')) as [string, string];
    if (appendonly === 'yes' && appendfsync === 'always') continue;
    if (allowNonDurable) return;
    const where = `${server.options.host ?? '?'}:${server.options.port ?? '?'}`;
    throw new Error(
      `The log's Redis (${where}) has appendonly=${appendonly} appendfsync=${appendfsync}; planledger needs appendonly=yes ` +
        'and appendfsync=always so no acknowledged write is lost. Set ALLOW_NON_DURABLE_REDIS=true to accept the risk.',
    );
  }
}
