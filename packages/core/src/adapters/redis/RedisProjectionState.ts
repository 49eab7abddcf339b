import type { RedisClient } from './connectRedis.js';
import { foldPlan, INITIAL_PLAN_STATE, type PlanState } from '../../evolvePlan.js';
import type { PlanDocument } from '../../planDocument.js';
import type { EventLog } from '../../ports/EventLog.js';
import type { ProjectionState } from '../../ports/ProjectionState.js';
import { planKey, type PlanRef } from '../../planRef.js';
import type { RedisKeys } from './redisKeys.js';
import { WeighedCache } from '../../weighedCache.js';
import { jsonText } from '../../jsonText.js';

export interface RedisProjectionStateOptions {
  /**
   * The log a state's document is folded forward from. With it, a plan's document is written with
   * the state only every `documentEvery` versions (the versions between record just the version);
   * without it, every state carries its document.
   */
  readonly log?: EventLog;
  /** At most this many versions between two writes of a plan's document (default 16). */
  readonly documentEvery?: number;
  /**
   * How much plan JSON this process keeps in memory, as the latest state of the plans it last
   * wrote (default 8 MiB: ~7,000 plans of the sample's size, ~250 of 100 services; deleted plans
   * are let go). Beyond it the least recently written plans are read back from Redis.
   */
  readonly cacheBytes?: number;
}

/** A state as this process last read or wrote it, and the version of the document stored with it in Redis. */
interface Held {
  readonly state: PlanState;
  readonly documentVersion: number;
  /** The document's JSON length when it was last read or written whole (what it weighs in the cache). */
  readonly bytes: number;
}

/**
 * A projection's per-plan state and per-partition checkpoint, each in its partition's hash slot.
 *
 * A plan's state is a hash: `version`, and `document` with the version it is the fold at
 * (`documentVersion`, ≤ `version`; a hash without it was written whole, at `version`). A
 * document at a version is the same whoever folded it, so a state is read back exactly by folding
 * the log's events from `documentVersion` to `version`, and the state this process last wrote is
 * kept in memory: the next change of the plan reads one small field to check its version, not
 * the document. Each write is one HSET, so a crash leaves a whole state behind.
 */
export class RedisProjectionState implements ProjectionState {
  private readonly log: EventLog | undefined;
  private readonly documentEvery: number;
  private readonly held: WeighedCache<Held>;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly projection: string,
    { log, documentEvery = 16, cacheBytes = 8 * 1024 * 1024 }: RedisProjectionStateOptions = {},
  ) {
    this.log = log;
    this.documentEvery = log ? Math.max(1, documentEvery) : 1;
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
    const at = Number(version);
    const stored = documentVersion === null ? at : Number(documentVersion);
    const base: PlanState = { version: stored, document: document ? (JSON.parse(document) as PlanDocument) : null };
    // A document newer than the version: two instances raced over the plan during a hand-over and
    // the older wrote its version last; the newer state is what the target holds.
    const state = stored >= at ? base : foldPlan(await this.foldingLog().events(plan, { from: stored + 1, to: at }), base);
    if (state.version < at) throw new Error(`The log has no events ${plan.org}/${plan.planId}@${stored + 1}–${at} to fold the ${this.projection} state from.`);
    this.remember(plan, { state, documentVersion: stored, bytes: document?.length ?? 0 });
    return state;
  }

  async set(plan: PlanRef, state: PlanState): Promise<void> {
    const key = this.keys.projectionState(this.projection, plan);
    const known = this.held.get(planKey(plan));
    const stored = known?.documentVersion;
    if (state.document !== null && stored !== undefined && stored <= state.version && state.version - stored < this.documentEvery) {
      await this.redis.hset(key, 'version', String(state.version));
      this.remember(plan, { state, documentVersion: stored, bytes: known?.bytes ?? 0 });
      return;
    }
    const document = state.document ? jsonText(state.document) : '';
    // A young plan (a create, mostly) is the fold of its first few events: its state records the
    // version alone, folded from version 0 when read back, and no copy of the document is kept
    // until version `documentEvery` (each projection would hold one per plan).
    const young = state.document !== null && stored === undefined && this.log !== undefined && state.version < this.documentEvery;
    const documentVersion = young ? 0 : state.version;
    await this.redis.hset(key, 'version', String(state.version), 'documentVersion', String(documentVersion), 'document', young ? '' : document);
    this.remember(plan, { state, documentVersion, bytes: document.length });
  }

  async checkpoint(partition: number): Promise<string | null> {
    return this.redis.get(this.keys.checkpoint(this.projection, partition));
  }

  async setCheckpoint(partition: number, position: string): Promise<void> {
    await this.redis.set(this.keys.checkpoint(this.projection, partition), position);
  }

  private foldingLog(): EventLog {
    if (!this.log) throw new Error(`The ${this.projection} state holds versions without their document, and no log was given to fold them from.`);
    return this.log;
  }

  /** Keeps `held` as the plan's latest within the byte budget; a deleted plan is let go. */
  private remember(plan: PlanRef, held: Held): void {
    if (held.state.document === null) this.held.delete(planKey(plan));
    else this.held.set(planKey(plan), held, held.bytes);
  }
}
