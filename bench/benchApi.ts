import { randomUUID } from 'node:crypto';
import type autocannon from 'autocannon';
import { aPlan } from '../packages/core/test/planMother.js';
import type { RedisClient } from '../packages/core/src/adapters/redis/index.js';
import { createRedisKeys } from '../packages/core/src/adapters/redis/index.js';
import type { PlanDocument } from '../packages/core/src/index.js';
import { devToken } from '../packages/api/test/authTestContext.js';
import type { Stack } from '../packages/api/test/stackProcesses.js';

/**
 * The settings every bench stack runs with over the test stack's: quiet logs, and the api as
 * `npm start` runs it, one worker per core (tests run one api process per instance), unless
 * `BENCH_API_WORKERS` says how many.
 */
export const BENCH_STACK_ENV = { LOG_LEVEL: 'error', API_WORKERS: process.env.BENCH_API_WORKERS ?? '0' } as const;

/** A write's answer as the bench needs it: when it was acknowledged and where its event landed. */
export interface Ack {
  readonly status: number;
  readonly at: number;
  readonly token: string | null;
}

/** The api of a started stack, spoken to over HTTP as a client would. */
export interface BenchApi {
  readonly baseUrl: string;
  readonly writer: string;
  readonly auditor: string;
  post(plan: PlanDocument): Promise<Ack>;
  /** A one-field PATCH (RFC 6902 replace of the plan's `planCostShares.copay`). */
  patchCopay(planId: string, copay: number): Promise<Ack>;
  /** The fields of the log entry a consistency token names (as stored in the partition stream). */
  logEntry(redis: RedisClient, token: string): Promise<string[]>;
}

export const copayPatch = (copay: number) => JSON.stringify([{ op: 'replace', path: '/planCostShares/copay', value: copay }]);

/** The request side of an autocannon run, for `loadRun({ ...it, connections, duration, … })`. */
export type RequestLoad = Pick<autocannon.Options, 'url' | 'method' | 'headers' | 'requests'>;

/** POSTs of the sample plan, each under a fresh id. */
export const postLoad = (api: BenchApi): RequestLoad => ({
  url: `${api.baseUrl}/v1/plans`,
  method: 'POST',
  headers: { authorization: api.writer, 'content-type': 'application/json' },
  requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(aPlan({ id: `bench-${randomUUID()}` })) }) }],
});

/**
 * A copay no earlier PATCH of this process set: a PATCH that sets the value a plan already holds
 * changes nothing and appends no event, so every load continues the sequence of the one before.
 */
let nextCopay = 1;

/** One-field PATCHes (a new copay, If-Match any) over `plans` in turn. */
export const copayPatchLoad = (api: BenchApi, plans: readonly PlanDocument[]): RequestLoad => {
  let next = 0;
  return {
    url: api.baseUrl,
    method: 'PATCH',
    headers: { authorization: api.writer, 'content-type': 'application/json-patch+json', 'if-match': '*' },
    requests: [{ setupRequest: (request) => ({ ...request, path: `/v1/plans/${plans[next++ % plans.length]!.objectId}`, body: copayPatch(nextCopay++) }) }],
  };
};

/** GETs by id over `plans` in turn. */
export const getLoad = (api: BenchApi, plans: readonly PlanDocument[]): RequestLoad => {
  let next = 0;
  return {
    url: api.baseUrl,
    headers: { authorization: api.writer },
    requests: [{ setupRequest: (request) => ({ ...request, path: `/v1/plans/${plans[next++ % plans.length]!.objectId}` }) }],
  };
};

export async function benchApi(stack: Stack): Promise<BenchApi> {
  const issuer = stack.env.OIDC_ISSUER ?? '';
  const writer = `Bearer ${await devToken(issuer, 'dev-writer')}`;
  const auditor = `Bearer ${await devToken(issuer, 'dev-auditor')}`;
  const keys = createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: Number(stack.env.PARTITIONS) });
  const ack = async (response: Response): Promise<Ack> => {
    await response.arrayBuffer();
    return { status: response.status, at: Date.now(), token: response.headers.get('x-consistency-token') };
  };
  return {
    baseUrl: stack.baseUrl,
    writer,
    auditor,
    post: async (plan) => ack(await fetch(`${stack.baseUrl}/v1/plans`, { method: 'POST', headers: { authorization: writer, 'content-type': 'application/json' }, body: JSON.stringify(plan) })),
    patchCopay: async (planId, copay) =>
      ack(
        await fetch(`${stack.baseUrl}/v1/plans/${encodeURIComponent(planId)}`, {
          method: 'PATCH',
          headers: { authorization: writer, 'content-type': 'application/json-patch+json', 'if-match': '*' },
          body: copayPatch(copay),
        }),
      ),
    async logEntry(redis, token) {
      const [partition, id] = [Number(token.split(':')[0]), token.slice(token.indexOf(':') + 1)];
      const [entry] = await redis.xrange(keys.log(partition), id, id);
      if (!entry) throw new Error(`no log entry ${token}`);
      return entry[1];
    },
  };
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function inParallel<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await task(items[index] as T, index);
      }
    }),
  );
}
