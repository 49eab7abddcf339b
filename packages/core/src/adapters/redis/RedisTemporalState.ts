import { randomUUID } from 'node:crypto';
import { scanKeys, unlinkKeys, type RedisClient } from './connectRedis.js';
import { planKey, type PlanRef } from '../../planRef.js';
import type { HeldTemporalState, OpenVersion, TemporalState, TemporalStateUpdate } from '../../ports/TemporalState.js';
import type { RedisKeys } from './redisKeys.js';
import { WeighedCache } from '../../weighedCache.js';

const NOTHING: HeldTemporalState = { version: 0, at: 0, open: new Map() };
const CHUNK = 500;

// Moves the state forward only: a writer that lost a race to a newer version changes nothing.
const UPDATE = `
local held = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if held >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 't', ARGV[2])
local sets = tonumber(ARGV[3])
local i = 4
while i < 4 + sets * 2 do
  local args = {}
  for j = i, math.min(i + ${CHUNK * 2} - 1, 3 + sets * 2) do args[#args + 1] = ARGV[j] end
  redis.call('HSET', KEYS[1], unpack(args))
  i = i + ${CHUNK * 2}
end
while i <= #ARGV do
  local args = {}
  for j = i, math.min(i + ${CHUNK} - 1, #ARGV) do args[#args + 1] = ARGV[j] end
  redis.call('HDEL', KEYS[1], unpack(args))
  i = i + ${CHUNK}
end
return 1`;

interface WithUpdate {
  planledgerTemporalUpdate(key: string, ...args: string[]): Promise<number>;
}

export interface RedisTemporalStateOptions {
  /** How many open versions (summed over plans) this process keeps in memory, as the records it last read or wrote (default 200,000: ~28,000 plans of the sample's size, ~650 of 100 services). */
  readonly cacheEntries?: number;
}

/** A plan's record as this process last read or wrote it, and the reset it was read after (`r`; '' before any). */
interface Held {
  readonly state: HeldTemporalState;
  readonly reset: string;
}

/**
 * The temporal index's own record of what it holds, per plan, in the plan's hash slot: the
 * version it reflects and, per object, which version document is open (so a change can close it
 * without reading the index). Kept per index (`target`): a rebuild's fresh index starts empty.
 *
 * The record this process last read or wrote is kept in memory: the next change of the plan
 * reads two small fields (the version, and the mark of the last reset) to check it is still the
 * one in Redis, not every open version, so a change costs what it touched, not the plan's size.
 * Records only move forward (see UPDATE), and a repair's reset gives the record a new mark.
 */
export class RedisTemporalState implements TemporalState {
  private readonly redis: RedisClient & WithUpdate;
  private readonly held: WeighedCache<Held>;

  constructor(redis: RedisClient, private readonly keys: RedisKeys, private readonly target: string, { cacheEntries = 200_000 }: RedisTemporalStateOptions = {}) {
    // By EVALSHA (reloaded on NOSCRIPT): the script's text is not sent with every change.
    redis.defineCommand('planledgerTemporalUpdate', { numberOfKeys: 1, lua: UPDATE });
    this.redis = redis as RedisClient & WithUpdate;
    this.held = new WeighedCache(cacheEntries);
  }

  async get(plan: PlanRef): Promise<HeldTemporalState> {
    const key = this.keys.targetState(this.target, plan);
    const id = planKey(plan);
    const known = this.held.get(id);
    if (known) {
      const [version, reset] = await this.redis.hmget(key, 'v', 'r');
      // Still the record in Redis (reading it counted as use).
      if (Number(version ?? 0) === known.state.version && (reset ?? '') === known.reset) return known.state;
    }
    const fields = await this.redis.hgetall(key);
    if (fields.v === undefined) {
      // No record yet (a plan this index never held): remembered too, so its first change is kept.
      this.remember(id, { state: NOTHING, reset: '' });
      return NOTHING;
    }
    const open = new Map<string, OpenVersion>();
    for (const [field, value] of Object.entries(fields)) {
      if (!field.startsWith('o:')) continue;
      const [fromVersion, validFrom] = value.split(':').map(Number) as [number, number];
      open.set(field.slice(2), { fromVersion, validFrom });
    }
    const state = { version: Number(fields.v), at: Number(fields.t ?? 0), open };
    this.remember(id, { state, reset: fields.r ?? '' });
    return state;
  }

  async set(plan: PlanRef, { version, at, opened, closed, open }: TemporalStateUpdate): Promise<void> {
    const id = planKey(plan);
    const sets = [...opened].flatMap(([object, held]) => [`o:${object}`, `${held.fromVersion}:${held.validFrom}`]);
    const moved = await this.redis.planledgerTemporalUpdate(this.keys.targetState(this.target, plan), String(version), String(at), String(opened.size), ...sets, ...closed.map((object) => `o:${object}`));
    // Kept only when this write made the record (a refused one: a newer version is there) and the
    // base it changed is the one remembered.
    const base = this.held.get(id);
    if (moved === 1 && open !== undefined && base !== undefined) this.remember(id, { state: { version, at, open }, reset: base.reset });
    else this.held.delete(id);
  }

  /** Replaces the plan's record outright, whatever it held (a repair, which rewrote the plan's documents from its whole history). */
  async reset(plan: PlanRef, { version, at, open }: { version: number; at: number; open: ReadonlyMap<string, OpenVersion> }): Promise<void> {
    const key = this.keys.targetState(this.target, plan);
    const fields = [...open].flatMap(([id, held]) => [`o:${id}`, `${held.fromVersion}:${held.validFrom}`]);
    // A new mark: any process that remembers the record it replaces reads it again.
    await this.redis.multi().del(key).hset(key, 'v', String(version), 't', String(at), 'r', randomUUID(), ...fields).exec();
    this.held.delete(planKey(plan));
  }

  /** Removes what every plan's record of `target` holds (its index was dropped). */
  static async drop(redis: RedisClient, keys: RedisKeys, target: string): Promise<void> {
    await scanKeys(redis, keys.targetStatePattern(target), (found) => unlinkKeys(redis, found));
  }

  /** Keeps `held` as the plan's latest within the budget of open versions. */
  private remember(id: string, held: Held): void {
    this.held.set(id, held, held.state.open.size + 1);
  }
}
