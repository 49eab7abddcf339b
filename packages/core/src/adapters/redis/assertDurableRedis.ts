import type { Redis } from 'ioredis';

/**
 * Refuses a log Redis that would lose acknowledged writes: AOF must be on with
 * `appendfsync always`. Tests and throwaway setups may pass `allowNonDurable`.
 */
export async function assertDurableRedis(redis: Redis, { allowNonDurable }: { allowNonDurable: boolean }): Promise<void> {
  const [, appendonly] = (await redis.config('GET', 'appendonly')) as [string, string];
  const [, appendfsync] = (await redis.config('GET', 'appendfsync')) as [string, string];
  if (appendonly === 'yes' && appendfsync === 'always') return;
  if (allowNonDurable) return;
  throw new Error(
    `The log's Redis has appendonly=${appendonly} appendfsync=${appendfsync}; planledger needs appendonly=yes ` +
      'and appendfsync=always so no acknowledged write is lost. Set ALLOW_NON_DURABLE_REDIS=true to accept the risk.',
  );
}
