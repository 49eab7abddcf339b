import type { RedisClient } from './connectRedis.js';
import { INITIAL_PLAN_STATE, type PlanState } from '../../evolvePlan.js';
import type { PlanDocument } from '../../planDocument.js';
import type { EventLog } from '../../ports/EventLog.js';
import type { ProjectionState } from '../../ports/ProjectionState.js';
import { planKey, type PlanRef } from '../../planRef.js';
import type { RedisKeys } from './redisKeys.js';
import { WeighedCache } from '../../weighedCache.js';
import { jsonText } from '../../jsonText.js';

export interface RedisProjectionStateOptions {
  /**
   * The log a state's document is read back from: with it, a state records the plan's version
   * alone, and its document is the log's own state at that version (a snapshot and the events
   * after it). Without it, every state carries its document.
   */
  readonly log?: EventLog;
  /**
   * How much plan JSON this process keeps in memory, as the latest state of the plans it last
   * wrote (default 8 MiB: ~7,000 plans of the sample's size, ~250 of 100 services; deleted plans
   * are let go). Beyond it the least recently written plans are read back from the log.
   */
  readonly cacheBytes?: number;
}

/** A state as this process last read or wrote it. */
interface Held {
  readonly state: PlanState;
  /** The document's JSON length when last serialised or read whole (its weight in the cache). */
  readonly bytes: number;
  /** Whether the hash in Redis holds a document (written by an earlier release): the next write removes it. */
  readonly storesDocument: boolean;
}

/**
 * A projection's per-plan state and per-partition checkpoint, each in its partition's hash slot.
 *
 * With a log, a plan's state is a hash holding its `version` alone: the document at a version is
 * the same whoever folded it, so it is the log's (`stateAt`: its nearest snapshot and the events
 * after it), and no projection keeps a copy of the plan. The state this process last wrote is
 * kept in memory: the next change of the plan reads one small field to check its version. States
 * of earlier releases (`document` at `documentVersion`, ≤ `version`, or newer when two instances
 * raced over the plan during a hand-over and the older wrote its version last) are read at the
 * newer of the two versions, and lose their document at their next write. Each write is one
 * HSET (with an HDEL of an earlier release's document), so a crash leaves a whole state behind.
 */
export class RedisProjectionState implements ProjectionState {
  private readonly log: EventLog | undefined;
  private readonly held: WeighedCache<Held>;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly projection: string,
    { log, cacheBytes = 8 * 1024 * 1024 }: RedisProjectionStateOptions = {},
  ) {
    this.log = log;
    this.held = new WeighedCache(cacheBytes);
  }

  async get(plan: PlanRef): Promise<PlanState> {
    const key = this.keys.projectionState(this.projection, plan);
    const known = this.held.get(planKey(plan));
    if (known) {
      const version = await this.redis.hget(key, 'version');
      if (version !== null && Number(version) === known.state.version) return known.state;
    }
    const [version, documentVersion, document] = await this.redis.hmget(key, 'version', 'documentVersion', 'document');
    if (version === null) return INITIAL_PLAN_STATE;
    const at = Math.max(Number(version), documentVersion === null ? 0 : Number(documentVersion));
    const storesDocument = document !== null;
    if (this.log === undefined) {
      // Without a log every state was written whole, at its documentVersion (or, without one, its version).
      const state: PlanState = { version: documentVersion === null ? Number(version) : Number(documentVersion), document: document ? (JSON.parse(document) as PlanDocument) : null };
      this.remember(plan, { state, bytes: document?.length ?? 0, storesDocument });
      return state;
    }
    const state = await this.log.stateAt(plan, at);
    if (state.version < at) throw new Error(`The log has no events ${plan.org}/${plan.planId} up to ${at} to read the ${this.projection} state from.`);
    this.remember(plan, { state, bytes: state.document === null ? 0 : jsonText(state.document).length, storesDocument });
    return state;
  }

  async set(plan: PlanRef, state: PlanState): Promise<void> {
    const key = this.keys.projectionState(this.projection, plan);
    const known = this.held.get(planKey(plan));
    if (this.log === undefined) {
      const document = state.document ? jsonText(state.document) : '';
      await this.redis.hset(key, 'version', String(state.version), 'documentVersion', String(state.version), 'document', document);
      this.remember(plan, { state, bytes: document.length, storesDocument: true });
      return;
    }
    // A document an earlier release stored (seen when the state was read) goes with this write.
    if (known?.storesDocument) await this.redis.multi().hset(key, 'version', String(state.version)).hdel(key, 'document', 'documentVersion').exec();
    else await this.redis.hset(key, 'version', String(state.version));
    // Weighed as the plan was when last serialised: a change's new document is not serialised just to weigh it.
    const bytes = known?.bytes ?? (state.document === null ? 0 : jsonText(state.document).length);
    this.remember(plan, { state, bytes, storesDocument: false });
  }

  async checkpoint(partition: number): Promise<string | null> {
    return this.redis.get(this.keys.checkpoint(this.projection, partition));
  }

  async setCheckpoint(partition: number, position: string): Promise<void> {
    await this.redis.set(this.keys.checkpoint(this.projection, partition), position);
  }

  /** Keeps `held` as the plan's latest within the byte budget; a deleted plan is let go. */
  private remember(plan: PlanRef, held: Held): void {
    if (held.state.document === null) this.held.delete(planKey(plan));
    else this.held.set(planKey(plan), held, held.bytes);
  }
}
