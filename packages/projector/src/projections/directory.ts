import { collectObjectIds, INITIAL_PLAN_STATE, planKey } from '@planledger/core';
import { RedisPlanDirectory } from '@planledger/core/redis';
import type { Mismatch, Projection } from './Projection.js';

/**
 * The plan directory: the read model that list and lookup reads use without Elasticsearch (each
 * tenant's plans by last change, objectId → plans, counts), in Redis generations switched by a pointer.
 */
export const directoryProjection: Projection = {
  name: 'directory',
  // Live writers re-read the active generation at most every second (RedisPlanDirectory's cache).
  settleMs: 1_500,
  formerNames: ['redis'],
  liveTarget: ({ redis, keys }) => new RedisPlanDirectory(redis, keys.prefix),
  currentTarget: async ({ redis, keys }) => `generation ${(await redis.get(RedisPlanDirectory.generationKey(keys.prefix))) ?? '0'}`,
  async newGeneration({ redis, keys }, stamp) {
    const generation = stamp;
    return {
      target: new RedisPlanDirectory(redis, keys.prefix, { generation }),
      name: `generation ${generation}`,
      activate: () => RedisPlanDirectory.activate(redis, keys.prefix, generation),
      async dropOld(old) {
        if (old !== null) await RedisPlanDirectory.deleteGeneration(redis, keys.prefix, old);
      },
      drop: () => RedisPlanDirectory.deleteGeneration(redis, keys.prefix, generation),
    };
  },
  async verify({ redis, keys }, live, { signal, onPlan } = {}) {
    const directory = new RedisPlanDirectory(redis, keys.prefix, { generationCacheMs: 0 });
    const mismatches: Mismatch[] = [];
    const orgs = new Set([...live.map((head) => head.org), ...Object.keys(await directory.counts())]);
    for (const org of orgs) {
      const listed = new Map<string, { version: number; at: string; planType: string | null }>();
      for (let cursor: string | undefined, first = true; first || cursor; first = false) {
        signal?.throwIfAborted();
        const page = await directory.list(org, { limit: 500, ...(cursor ? { cursor } : {}) });
        for (const item of page.items) listed.set(item.planId, item);
        cursor = page.next ?? undefined;
      }
      for (const head of live.filter((h) => h.org === org)) {
        signal?.throwIfAborted();
        const entry = listed.get(head.planId);
        const planType = typeof head.document?.planType === 'string' ? head.document.planType : null;
        const base = { org, planId: head.planId, expectedVersion: head.version };
        if (!entry) mismatches.push({ ...base, kind: 'missing', actualVersion: null, detail: `${planKey(head)}: not listed, log at ${head.version}` });
        else if (entry.version !== head.version) mismatches.push({ ...base, kind: 'staleVersion', actualVersion: entry.version, detail: `${planKey(head)}: listed at version ${entry.version}, log at ${head.version}` });
        else if (entry.at !== head.at || entry.planType !== planType) mismatches.push({ ...base, kind: 'differentContent', actualVersion: entry.version, detail: `${planKey(head)}: listed as ${JSON.stringify({ at: entry.at, planType: entry.planType })}, log says ${JSON.stringify({ at: head.at, planType })}` });
        for (const objectId of collectObjectIds(head.document)) {
          if (!(await directory.plansHolding(head.org, objectId)).includes(head.planId)) mismatches.push({ ...base, kind: 'missing', actualVersion: entry?.version ?? null, detail: `${planKey(head)}: objectId ${objectId} not indexed` });
        }
        listed.delete(head.planId);
        onPlan?.();
      }
      for (const [planId, entry] of listed) mismatches.push({ org, planId, kind: 'extra', expectedVersion: null, actualVersion: entry.version, detail: `${planKey({ org, planId })}: listed but does not exist` });
    }
    return mismatches;
  },
  async repair({ redis, keys }, plan, head, log) {
    const directory = new RedisPlanDirectory(redis, keys.prefix, { generationCacheMs: 0 });
    // The listing's put is version-guarded (never backwards; the same version is rewritten), as for the live projector.
    const last = head && head.version > 0 ? (await log.events(plan, { from: head.version, to: head.version }))[0] : undefined;
    if (head && last) {
      await directory.apply({ event: last, before: INITIAL_PLAN_STATE, after: { version: head.version, document: head.document } });
      return;
    }
    // Listed but not in the log at all: unlist it at the version it is listed with.
    const listed = await directory.listedVersion(plan);
    if (listed !== null) await directory.unlist(plan, listed);
  },
};
