import type { Redis } from 'ioredis';
import { VersionConflict } from '../../errors.js';
import type { PlanDocument } from '../../planDocument.js';
import type { PlanEvent } from '../../planEvent.js';
import type { AppendRequest, AppendResult, EventLog, EventRange, PlanHead } from '../../ports/EventLog.js';
import { APPEND_SCRIPT } from './appendScript.js';
import type { RedisKeys } from './redisKeys.js';

type AppendReply = [0, number] | [1, string];

interface WithAppend {
  planledgerAppend(log: string, head: string, history: string, ...args: string[]): Promise<AppendReply>;
}

/**
 * The event log on Redis Streams. `defineCommand` runs the script by EVALSHA and reloads it on
 * NOSCRIPT, so a restarted Redis that lost its script cache is handled.
 */
export class RedisEventLog implements EventLog {
  private readonly redis: Redis & WithAppend;

  constructor(redis: Redis, private readonly keys: RedisKeys) {
    redis.defineCommand('planledgerAppend', { numberOfKeys: 3, lua: APPEND_SCRIPT });
    this.redis = redis as Redis & WithAppend;
  }

  async append({ event, document }: AppendRequest): Promise<AppendResult> {
    const partition = this.keys.partitionOf(event.planId);
    const reply = await this.redis.planledgerAppend(
      this.keys.log(partition),
      this.keys.head(event.planId),
      this.keys.history(event.planId),
      String(event.version - 1),
      JSON.stringify(event),
      document === null ? '' : JSON.stringify(document),
      event.planId,
      String(event.version),
    );
    if (reply[0] === 0) throw new VersionConflict(event.planId, event.version - 1, Number(reply[1]));
    return { position: reply[1], partition };
  }

  async head(planId: string): Promise<PlanHead | null> {
    const [version, document] = await this.redis.hmget(this.keys.head(planId), 'version', 'document');
    if (version === null) return null;
    return { planId, version: Number(version), document: document ? (JSON.parse(document) as PlanDocument) : null };
  }

  async events(planId: string, { from = 1, to }: EventRange = {}): Promise<PlanEvent[]> {
    const raw = await this.redis.lrange(this.keys.history(planId), Math.max(from, 1) - 1, to === undefined ? -1 : to - 1);
    return raw.map((json) => JSON.parse(json) as PlanEvent);
  }
}
