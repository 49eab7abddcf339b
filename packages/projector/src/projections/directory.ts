import { collectObjectIds, planKey } from '@planledger/core';
import { RedisPlanDirectory } from '@planledger/core/redis';
import type { Projection } from './Projection.js';

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
  async newGeneration({ redis, keys }, stamp) {
    const generation = stamp;
    return {
      target: new RedisPlanDirectory(redis, keys.prefix, { generation }),
      name: `generation ${generation}`,
      activate: () => RedisPlanDirectory.activate(redis, keys.prefix, generation),
      async dropOld(old) {
        if (old !== null) await RedisPlanDirectory.deleteGeneration(redis, keys.prefix, old);
      },
    };
  },
  async verify({ redis, keys }, live) {
    const directory = new RedisPlanDirectory(redis, keys.prefix, { generationCacheMs: 0 });
    const mismatches: string[] = [];
    const orgs = new Set([...live.map((head) => head.org), ...Object.keys(await directory.counts())]);
    for (const org of orgs) {
      const listed = new Map<string, number>();
      for (let cursor: string | undefined, first = true; first || cursor; first = false) {
        const page = await directory.list(org, { limit: 500, ...(cursor ? { cursor } : {}) });
        for (const item of page.items) listed.set(item.planId, item.version);
        cursor = page.next ?? undefined;
      }
      for (const head of live.filter((h) => h.org === org)) {
        if (listed.get(head.planId) !== head.version) mismatches.push(`${planKey(head)}: listed at version ${listed.get(head.planId) ?? 'none'}, log at ${head.version}`);
        listed.delete(head.planId);
      }
      for (const planId of listed.keys()) mismatches.push(`${planKey({ org, planId })}: listed but does not exist`);
    }
    for (const head of live) {
      for (const objectId of collectObjectIds(head.document)) {
        if (!(await directory.plansHolding(head.org, objectId)).includes(head.planId)) mismatches.push(`${planKey(head)}: objectId ${objectId} not indexed`);
      }
    }
    return mismatches;
  },
};
