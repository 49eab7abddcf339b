import type { Client } from '@elastic/elasticsearch';
import type { Redis } from 'ioredis';
import type { Logger, ProjectionTarget } from '@planledger/core';
import { RedisPlanDirectory, RedisProjectionState, type RedisKeys } from '@planledger/core/redis';
import { concreteIndex, ElasticPlanIndex, PLAN_INDEX_BODY } from '@planledger/core/elasticsearch';
import type { ProjectionName } from '@planledger/core/rabbitmq';
import { createProjectionRunner } from './createProjectionRunner.js';
import type { ProjectionContext } from './projectionContext.js';
import { replayProjection, type ReplayProgress } from './replayProjection.js';

export interface RebuildOptions extends ProjectionContext {  /** Where to start in each partition (exclusive); absent: the whole log. */
  readonly after?: ReadonlyMap<number, string>;
  /** How long live writers may keep using the old target after the switch (their caches, requests in flight). */
  readonly settleMs?: number;
  readonly logger: Logger;
  readonly onProgress?: (progress: ReplayProgress & { phase: 'replay' | 'catch-up' }) => void;
  readonly now?: () => Date;
}

export interface RebuildResult {
  readonly target: string;
  readonly replaced: string | null;
  readonly events: number;
  readonly seconds: number;
}

/**
 * Rebuilds a projection from the log into a fresh target while the api and live projectors keep
 * running: replay into the new target, switch readers and live writers to it (alias swap for
 * search, generation pointer for the Redis read model), wait until no live write can still reach
 * the old target, replay once more from where the first pass ended (covering what the live
 * projector wrote only to the old target meanwhile), then drop the old target. External versions
 * and the runner's next-version rule make every double write harmless.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { projection, redis, keys, log, es, alias, settleMs = 2_000, logger, now = () => new Date() } = options;
  const started = Date.now();
  const stamp = now().toISOString().replace(/[-:.TZ]/g, '').slice(0, 17);
  const stateName = `${projection}-rebuild-${stamp}`;
  const { target, name, activate, dropOld } = await prepareTarget(projection, { redis, keys, es, alias, stamp });
  const runner = createProjectionRunner({ log, state: new RedisProjectionState(redis, keys, stateName), target, logger });

  const first = await replayProjection({ redis, keys, runner, ...(options.after ? { after: options.after } : {}), onProgress: (p) => options.onProgress?.({ ...p, phase: 'replay' }) });
  const replaced = await activate();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const second = await replayProjection({ redis, keys, runner, after: first.positions, onProgress: (p) => options.onProgress?.({ ...p, phase: 'catch-up' }) });
  const events = first.events + second.events;
  await dropOld(replaced);
  await deleteState(redis, keys, stateName);
  return { target: name, replaced, events, seconds: (Date.now() - started) / 1000 };
}

interface PreparedTarget {
  readonly target: ProjectionTarget;
  readonly name: string;
  activate(): Promise<string | null>;
  dropOld(replaced: string | null): Promise<void>;
}

async function prepareTarget(projection: ProjectionName, { redis, keys, es, alias, stamp }: { redis: Redis; keys: RedisKeys; es: Client; alias: string; stamp: string }): Promise<PreparedTarget> {
  if (projection === 'search') {
    const index = `${alias}-${stamp}`;
    await es.indices.create({ index, ...PLAN_INDEX_BODY } as never);
    await es.cluster.health({ index, wait_for_status: 'yellow', timeout: '30s' });
    return {
      target: new ElasticPlanIndex(es, index),
      name: index,
      async activate() {
        const old = await concreteIndex(es, alias);
        const actions: object[] = [{ add: { index, alias, is_write_index: true } }];
        if (old) actions.unshift({ remove: { index: old, alias } });
        await es.indices.updateAliases({ actions } as never);
        return old;
      },
      async dropOld(old) {
        if (old) await es.indices.delete({ index: old, ignore_unavailable: true });
      },
    };
  }
  const generation = stamp;
  return {
    target: new RedisPlanDirectory(redis, keys.prefix, { generation }),
    name: `generation ${generation}`,
    activate: () => RedisPlanDirectory.activate(redis, keys.prefix, generation),
    async dropOld(old) {
      if (old !== null) await RedisPlanDirectory.deleteGeneration(redis, keys.prefix, old);
    },
  };
}

async function deleteState(redis: Redis, keys: RedisKeys, stateName: string): Promise<void> {
  const patterns = [`${keys.prefix}:*:projection:${stateName}:*`, `${keys.prefix}:*:checkpoint:${stateName}`];
  for (const pattern of patterns) {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (found.length > 0) await redis.unlink(...found);
      cursor = next;
    } while (cursor !== '0');
  }
}
