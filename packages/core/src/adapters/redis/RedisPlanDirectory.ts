import type { Redis } from 'ioredis';
import { collectObjectIds } from '../../collectObjectIds.js';
import { DomainError } from '../../errors.js';
import type { PlanChange, ProjectionTarget } from '../../ports/PlanChange.js';
import type { DirectoryPage, PlanDirectory, PlanSummary } from '../../ports/PlanDirectory.js';

interface Cursor {
  readonly score: number;
  readonly planId: string;
}

/**
 * The Redis read model: written as a projection (`apply`), read by the api (`list`,
 * `plansHolding`, `counts`). Its keys span plans, so they carry no partition hash tag; every
 * command touches one key, which Redis Cluster allows.
 */
export class RedisPlanDirectory implements ProjectionTarget, PlanDirectory {
  readonly name = 'redis';

  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key(...parts: string[]): string {
    return [this.prefix, 'directory', ...parts].join(':');
  }

  async apply({ event, before, after }: PlanChange): Promise<void> {
    const planId = event.planId;
    const org = after.document?._org ?? event.org;
    const was = collectObjectIds(before.document);
    const is = collectObjectIds(after.document);
    const batch = this.redis.multi();
    for (const objectId of was) if (!is.has(objectId)) batch.srem(this.key('object', objectId), planId);
    for (const objectId of is) batch.sadd(this.key('object', objectId), planId);
    if (after.document === null) {
      batch.zrem(this.key('org', org), planId).del(this.key('plan', planId));
    } else {
      const summary: PlanSummary = { planId, org, version: after.version, at: event.at, planType: typeof after.document.planType === 'string' ? after.document.planType : null };
      batch.zadd(this.key('org', org), Date.parse(event.at), planId).set(this.key('plan', planId), JSON.stringify(summary)).sadd(this.key('orgs'), org);
    }
    await batch.exec();
  }

  async list(org: string, { cursor, limit }: { cursor?: string; limit: number }): Promise<DirectoryPage> {
    const after = cursor ? decodeCursor(cursor) : null;
    const key = this.key('org', org);
    // Fetch past the cursor's ties (same score), then drop what the previous page already gave.
    const raw = await this.redis.zrevrangebyscore(key, after ? after.score : '+inf', '-inf', 'WITHSCORES', 'LIMIT', 0, limit + 1 + (after ? 50 : 0));
    const entries: Cursor[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) entries.push({ planId: raw[i]!, score: Number(raw[i + 1]) });
    const fresh = after ? entries.filter((e) => e.score < after.score || (e.score === after.score && e.planId < after.planId)) : entries;
    const page = fresh.slice(0, limit);
    const summaries = page.length === 0 ? [] : await this.redis.mget(...page.map((e) => this.key('plan', e.planId)));
    const items = summaries.flatMap((json) => (json ? [JSON.parse(json) as PlanSummary] : []));
    const last = page.at(-1);
    return { items, next: fresh.length > limit && last ? encodeCursor(last) : null };
  }

  async plansHolding(objectId: string): Promise<string[]> {
    return (await this.redis.smembers(this.key('object', objectId))).sort();
  }

  async counts(): Promise<Record<string, number>> {
    const orgs = (await this.redis.smembers(this.key('orgs'))).sort();
    const sizes = await Promise.all(orgs.map((org) => this.redis.zcard(this.key('org', org))));
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
  throw new DomainError('SCHEMA_VIOLATION', 'The cursor is not one this api gave out.', [{ pointer: '/cursor', message: 'is not a valid cursor' }]);
}
