import type { RedisClient } from './connectRedis.js';
import { INITIAL_PLAN_STATE, type PlanState } from '../../evolvePlan.js';
import type { PlanDocument } from '../../planDocument.js';
import type { ProjectionState } from '../../ports/ProjectionState.js';
import type { PlanRef } from '../../planRef.js';
import type { RedisKeys } from './redisKeys.js';

/** A projection's per-plan state and per-partition checkpoint, each in its partition's hash slot. */
export class RedisProjectionState implements ProjectionState {
  constructor(private readonly redis: RedisClient, private readonly keys: RedisKeys, private readonly projection: string) {}

  async get(plan: PlanRef): Promise<PlanState> {
    const [version, document] = await this.redis.hmget(this.keys.projectionState(this.projection, plan), 'version', 'document');
    if (version === null) return INITIAL_PLAN_STATE;
    return { version: Number(version), document: document ? (JSON.parse(document) as PlanDocument) : null };
  }

  async set(plan: PlanRef, state: PlanState): Promise<void> {
    await this.redis.hset(this.keys.projectionState(this.projection, plan), 'version', String(state.version), 'document', state.document ? JSON.stringify(state.document) : '');
  }

  async checkpoint(partition: number): Promise<string | null> {
    return this.redis.get(this.keys.checkpoint(this.projection, partition));
  }

  async setCheckpoint(partition: number, position: string): Promise<void> {
    await this.redis.set(this.keys.checkpoint(this.projection, partition), position);
  }
}
