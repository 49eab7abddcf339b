import { scanKeys, unlinkKeys, type RedisClient } from './connectRedis.js';
import { collectObjectIds, objectIdChanges } from '../../collectObjectIds.js';
import { InvalidCursor } from '../../errors.js';
import type { PlanDocument } from '../../planDocument.js';
import type { PlanChange, ProjectionTarget } from '../../ports/PlanChange.js';
import type { DirectoryPage, PlanDirectory, PlanSummary } from '../../ports/PlanDirectory.js';

interface Cursor {
  readonly score: number;
  readonly planId: string;
}

type ListReply = [entries: string[], summaries: (string | null)[]];

interface WithList {
  planledgerDirectoryList(order: string, summaries: string, max: string, count: string): Promise<ListReply>;
  planledgerDirectoryPut(order: string, summaries: string, versions: string, planId: string, version: string, score: string, summary: string): Promise<number>;
}

/**
 * Moves one plan's listing entry to a version, in one atomic step, unless the directory already
 * holds a newer one: a late or replayed change (a rebuild and the live projector both writing a
 * generation, a redelivery) never takes the listing back, deletes included (the version stays).
 * KEYS: order, summaries, versions (one org's slot). ARGV: planId, version, score, summary JSON ('' = deleted).
 * Returns 1 when the change is the newest seen (or the same again), 0 when it is older.
 */
const PUT_SCRIPT = `
local current = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if current > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
if ARGV[4] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
end
return 1
`;

/**
 * One page of an org's listing read in one atomic step: the order (by last change) and the
 * summaries together, so a change landing between the two reads cannot skew the page.
 * KEYS: order (sorted set), summaries (hash). ARGV: max score, count.
 */
const LIST_SCRIPT = `
local entries = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], '-inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local ids = {}
for i = 1, #entries, 2 do ids[#ids + 1] = entries[i] end
local summaries = {}
if #ids > 0 then summaries = redis.call('HMGET', KEYS[2], unpack(ids)) end
return {entries, summaries}
`;

/**
 * The Redis read model: written as a projection (`apply`), read by the api (`list`,
 * `plansHolding`, `counts`). Its keys span plans, so they carry no partition hash tag; an org's
 * order and summaries share the tag `{org:<org>}`, so they change and are read together even on
 * Redis Cluster.
 */
export interface RedisPlanDirectoryOptions {
  /** Read and write this generation only (a rebuild); by default the active one, re-read every `generationCacheMs`. */
  readonly generation?: string;
  readonly generationCacheMs?: number;
}

/**
 * The read model lives in generations, so a rebuild can fill a new one while the live one keeps
 * serving, then switch every reader and writer over by changing one pointer key.
 */
export class RedisPlanDirectory implements ProjectionTarget, PlanDirectory {
  readonly name = 'directory';
  private readonly redis: RedisClient & WithList;
  private readonly fixedGeneration: string | undefined;
  private readonly generationCacheMs: number;
  private cached: { generation: string; at: number } | null = null;

  constructor(redis: RedisClient, private readonly prefix: string, { generation, generationCacheMs = 1000 }: RedisPlanDirectoryOptions = {}) {
    redis.defineCommand('planledgerDirectoryList', { numberOfKeys: 2, lua: LIST_SCRIPT });
    redis.defineCommand('planledgerDirectoryPut', { numberOfKeys: 3, lua: PUT_SCRIPT });
    this.redis = redis as RedisClient & WithList;
    this.fixedGeneration = generation;
    this.generationCacheMs = generationCacheMs;
  }

  /** The key naming the active generation. */
  static generationKey(prefix: string): string {
    return `${prefix}:directory:generation`;
  }

  /** Makes `generation` the active one; returns the one it replaces. */
  static async activate(redis: RedisClient, prefix: string, generation: string): Promise<string> {
    return (await redis.getset(RedisPlanDirectory.generationKey(prefix), generation)) ?? '0';
  }

  /** Removes every key of a generation (after a rebuild replaced it). */
  static async deleteGeneration(redis: RedisClient, prefix: string, generation: string): Promise<void> {
    await scanKeys(redis, `${prefix}:directory:g${generation}:*`, (found) => unlinkKeys(redis, found));
  }

  private async generation(): Promise<string> {
    if (this.fixedGeneration !== undefined) return this.fixedGeneration;
    if (this.cached && Date.now() - this.cached.at < this.generationCacheMs) return this.cached.generation;
    const generation = (await this.redis.get(RedisPlanDirectory.generationKey(this.prefix))) ?? '0';
    this.cached = { generation, at: Date.now() };
    return generation;
  }

  private async keys(): Promise<{ key: (...parts: string[]) => string; orgKeys: (org: string) => { order: string; summaries: string; versions: string; holding: (objectId: string) => string } }> {
    const base = `${this.prefix}:directory:g${await this.generation()}`;
    const key = (...parts: string[]) => [base, ...parts].join(':');
    // Orgs are percent-encoded in keys, so no org can break out of its hash tag or key segment.
    const tag = (org: string) => `{org:${encodeURIComponent(org)}}`;
    return {
      key,
      orgKeys: (org) => ({ order: key(tag(org), 'order'), summaries: key(tag(org), 'summaries'), versions: key(tag(org), 'versions'), holding: (objectId) => key('object', encodeURIComponent(org), objectId) }),
    };
  }

  async apply({ event, before, after, passed }: PlanChange): Promise<void> {
    const { key, orgKeys } = await this.keys();
    const { planId, org } = event;
    // The lookups may hold `before` or any state the change passed through: an object of `after`
    // is added unless every one of those held it, an object any of them held and `after` lacks is
    // removed. A one-field change touches no lookup, and finding the objects added or removed walks
    // only where the states differ (objectIdChanges).
    const { added, removed } = passed === undefined || passed.length === 0 ? objectIdChanges(before.document, after.document) : objectIdChangesPassing([before.document, ...passed], after.document);
    const { order, summaries, versions, holding } = orgKeys(org);
    const summary: PlanSummary | null =
      after.document === null ? null : { planId, org, version: after.version, at: event.at, planType: typeof after.document.planType === 'string' ? after.document.planType : null };
    // The org's order, summary and version move in one atomic step (same slot), never backwards.
    const newest = await this.redis.planledgerDirectoryPut(order, summaries, versions, planId, String(after.version), String(Date.parse(event.at)), summary ? JSON.stringify(summary) : '');
    if (newest === 0) return;
    // The lookups are idempotent; they follow the listing, so a redo of the same change repeats them.
    // Each is its own key (own slot on a cluster), so they go out as separate commands, together.
    // A plan's objects are added when it is created, so is its org to the orgs known.
    const lookups: Promise<number>[] = added.length > 0 ? [this.redis.sadd(key('orgs'), org)] : [];
    for (const objectId of removed) lookups.push(this.redis.srem(holding(objectId), planId));
    for (const objectId of added) lookups.push(this.redis.sadd(holding(objectId), planId));
    await Promise.all(lookups);
  }

  /** The version the directory last recorded for a plan (deleted plans included); null when none. */
  async listedVersion({ org, planId }: { org: string; planId: string }): Promise<number | null> {
    const version = await this.redis.hget((await this.keys()).orgKeys(org).versions, planId);
    return version === null ? null : Number(version);
  }

  /** Removes a plan's listing entry as a delete at `version` would (version-guarded like `apply`). */
  async unlist({ org, planId }: { org: string; planId: string }, version: number): Promise<void> {
    const { order, summaries, versions } = (await this.keys()).orgKeys(org);
    await this.redis.planledgerDirectoryPut(order, summaries, versions, planId, String(version), '0', '');
  }

  async list(org: string, { cursor, limit }: { cursor?: string; limit: number }): Promise<DirectoryPage> {
    const after = cursor ? decodeCursor(cursor) : null;
    const { order, summaries } = (await this.keys()).orgKeys(org);
    // Fetch past the cursor's ties (same score), then drop what the previous page already gave.
    const [raw, jsons] = await this.redis.planledgerDirectoryList(order, summaries, after ? String(after.score) : '+inf', String(limit + 1 + (after ? 50 : 0)));
    const entries: (Cursor & { json: string | null })[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) entries.push({ planId: raw[i]!, score: Number(raw[i + 1]), json: jsons[i / 2] ?? null });
    const fresh = after ? entries.filter((e) => e.score < after.score || (e.score === after.score && e.planId < after.planId)) : entries;
    const page = fresh.slice(0, limit);
    const items = page.flatMap(({ json }) => (json ? [JSON.parse(json) as PlanSummary] : []));
    const last = page.at(-1);
    return { items, next: fresh.length > limit && last ? encodeCursor(last) : null };
  }

  async plansHolding(org: string, objectId: string): Promise<string[]> {
    return (await this.redis.smembers((await this.keys()).orgKeys(org).holding(objectId))).sort();
  }

  async counts(): Promise<Record<string, number>> {
    const { key, orgKeys } = await this.keys();
    const orgs = (await this.redis.smembers(key('orgs'))).sort();
    const sizes = await Promise.all(orgs.map((org) => this.redis.zcard(orgKeys(org).order)));
    return Object.fromEntries(orgs.map((org, i) => [org, sizes[i] ?? 0]));
  }
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify([cursor.score, cursor.planId])).toString('base64url');

function decodeCursor(text: string): Cursor {
  try {
    const [score, planId] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof score === 'number' && typeof planId === 'string') return { score, planId };
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursor();
}

/** The objectIds to add and remove when the lookups may hold any of `priors`: added unless every one held it, removed if any held it and `after` lacks it. */
function objectIdChangesPassing(priors: readonly (PlanDocument | null)[], after: PlanDocument | null): { added: string[]; removed: string[] } {
  const held = priors.map((document) => collectObjectIds(document));
  const is = collectObjectIds(after);
  return {
    added: [...is].filter((objectId) => !held.every((ids) => ids.has(objectId))),
    removed: [...new Set(held.flatMap((ids) => [...ids].filter((objectId) => !is.has(objectId))))],
  };
}
