import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { VersionConflict } from '../../errors.js';
import { foldPlan, type PlanState } from '../../evolvePlan.js';
import type { PlanDocument } from '../../planDocument.js';
import type { PlanEvent } from '../../planEvent.js';
import type { AppendRequest, AppendResult, EventLog, EventRange, IdempotencyRecord, PlanHead } from '../../ports/EventLog.js';
import { APPEND_SCRIPT } from './appendScript.js';
import type { RedisKeys } from './redisKeys.js';

type AppendReply = [0, number] | [1, string] | [2, string];

interface WithAppend {
  planledgerAppend(...keysAndArgs: string[]): Promise<AppendReply>;
}

export interface RedisEventLogOptions {
  /** Keep a snapshot of the document every this many versions (time travel folds at most this many events). */
  readonly snapshotEvery?: number;
}

/** Time-index members sort as strings among equal scores: pad so that order is numeric. */
const timeMember = (version: number) => String(version).padStart(12, '0');
const decodeDocument = (json: string | null | undefined): PlanDocument | null => (json ? (JSON.parse(json) as PlanDocument) : null);

/**
 * The event log on Redis Streams. `defineCommand` runs the script by EVALSHA and reloads it on
 * NOSCRIPT, so a restarted Redis that lost its script cache is handled.
 */
export class RedisEventLog implements EventLog {
  private readonly redis: Redis & WithAppend;
  private readonly snapshotEvery: number;

  constructor(redis: Redis, private readonly keys: RedisKeys, { snapshotEvery = 100 }: RedisEventLogOptions = {}) {
    redis.defineCommand('planledgerAppend', { numberOfKeys: 6, lua: APPEND_SCRIPT });
    this.redis = redis as Redis & WithAppend;
    this.snapshotEvery = snapshotEvery;
  }

  async append({ event, document, idempotency }: AppendRequest): Promise<AppendResult> {
    const { planId, version } = event;
    const partition = this.keys.partitionOf(planId);
    const reply = await this.redis.planledgerAppend(
      this.keys.log(partition),
      this.keys.head(planId),
      this.keys.history(planId),
      this.keys.times(planId),
      this.keys.snapshots(planId),
      this.keys.idempotency(planId, scopeKey(idempotency?.key ?? '')),
      String(version - 1),
      JSON.stringify(event),
      document === null ? '' : JSON.stringify(document),
      planId,
      String(version),
      String(Date.parse(event.at)),
      event.org,
      String(this.snapshotEvery),
      idempotency?.fingerprint ?? '',
      String(idempotency?.ttlSeconds ?? 0),
      timeMember(version),
    );
    if (reply[0] === 0) throw new VersionConflict(planId, version - 1, Number(reply[1]));
    if (reply[0] === 2) return { kind: 'replayed', record: { ...(JSON.parse(reply[1]) as Omit<IdempotencyRecord, 'partition'>), partition } };
    return { kind: 'appended', position: reply[1], partition };
  }

  async head(planId: string): Promise<PlanHead | null> {
    const [version, document, org, at] = await this.redis.hmget(this.keys.head(planId), 'version', 'document', 'org', 'at');
    if (version === null) return null;
    return { planId, version: Number(version), document: decodeDocument(document), org: org ?? '', at: new Date(Number(at)).toISOString() };
  }

  async events(planId: string, { from = 1, to }: EventRange = {}): Promise<PlanEvent[]> {
    if (to !== undefined && to < Math.max(from, 1)) return []; // LRANGE would read `to - 1 = -1` as "to the end"
    const raw = await this.redis.lrange(this.keys.history(planId), Math.max(from, 1) - 1, to === undefined ? -1 : to - 1);
    return raw.map((json) => JSON.parse(json) as PlanEvent);
  }

  async stateAt(planId: string, version: number): Promise<PlanState> {
    const base = Math.floor(version / this.snapshotEvery) * this.snapshotEvery;
    const snapshot = base > 0 ? await this.redis.hget(this.keys.snapshots(planId), String(base)) : null;
    const start: PlanState = snapshot === null ? { version: 0, document: null } : { version: base, document: decodeDocument(snapshot) };
    return foldPlan(await this.events(planId, { from: start.version + 1, to: version }), start);
  }

  async versionAt(planId: string, at: Date): Promise<number> {
    const [member] = await this.redis.zrevrangebyscore(this.keys.times(planId), at.getTime(), '-inf', 'LIMIT', 0, 1);
    return member === undefined ? 0 : Number(member);
  }

  async idempotencyRecord(planId: string, key: string): Promise<IdempotencyRecord | null> {
    const json = await this.redis.get(this.keys.idempotency(planId, scopeKey(key)));
    return json === null ? null : { ...(JSON.parse(json) as Omit<IdempotencyRecord, 'partition'>), partition: this.keys.partitionOf(planId) };
  }
}

/** Callers' keys are arbitrary text: hash them into a bounded, safe key segment. */
function scopeKey(key: string): string {
  return key === '' ? '-' : createHash('sha256').update(key).digest('base64url');
}
