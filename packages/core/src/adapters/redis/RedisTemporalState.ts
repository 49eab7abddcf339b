import { scanKeys, unlinkKeys, type RedisClient } from './connectRedis.js';
import type { PlanRef } from '../../planRef.js';
import type { HeldTemporalState, OpenVersion, TemporalState, TemporalStateUpdate } from '../../ports/TemporalState.js';
import type { RedisKeys } from './redisKeys.js';

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

/**
 * The temporal index's own record of what it holds, per plan, in the plan's hash slot: the
 * version it reflects and, per object, which version document is open (so a change can close it
 * without reading the index). Kept per index (`target`): a rebuild's fresh index starts empty.
 */
export class RedisTemporalState implements TemporalState {
  private readonly redis: RedisClient & WithUpdate;

  constructor(redis: RedisClient, private readonly keys: RedisKeys, private readonly target: string) {
    // By EVALSHA (reloaded on NOSCRIPT): the script's text is not sent with every change.
    redis.defineCommand('planledgerTemporalUpdate', { numberOfKeys: 1, lua: UPDATE });
    this.redis = redis as RedisClient & WithUpdate;
  }

  async get(plan: PlanRef): Promise<HeldTemporalState> {
    const fields = await this.redis.hgetall(this.keys.targetState(this.target, plan));
    if (fields.v === undefined) return NOTHING;
    const open = new Map<string, OpenVersion>();
    for (const [field, value] of Object.entries(fields)) {
      if (!field.startsWith('o:')) continue;
      const [fromVersion, validFrom] = value.split(':').map(Number) as [number, number];
      open.set(field.slice(2), { fromVersion, validFrom });
    }
    return { version: Number(fields.v), at: Number(fields.t ?? 0), open };
  }

  async set(plan: PlanRef, { version, at, opened, closed }: TemporalStateUpdate): Promise<void> {
    const sets = [...opened].flatMap(([id, open]) => [`o:${id}`, `${open.fromVersion}:${open.validFrom}`]);
    await this.redis.planledgerTemporalUpdate(this.keys.targetState(this.target, plan), String(version), String(at), String(opened.size), ...sets, ...closed.map((id) => `o:${id}`));
  }

  /** Replaces the plan's record outright, whatever it held (a repair, which rewrote the plan's documents from its whole history). */
  async reset(plan: PlanRef, { version, at, open }: { version: number; at: number; open: ReadonlyMap<string, OpenVersion> }): Promise<void> {
    const key = this.keys.targetState(this.target, plan);
    const fields = [...open].flatMap(([id, held]) => [`o:${id}`, `${held.fromVersion}:${held.validFrom}`]);
    await this.redis.multi().del(key).hset(key, 'v', String(version), 't', String(at), ...fields).exec();
  }

  /** Removes what every plan's record of `target` holds (its index was dropped). */
  static async drop(redis: RedisClient, keys: RedisKeys, target: string): Promise<void> {
    await scanKeys(redis, keys.targetStatePattern(target), (found) => unlinkKeys(redis, found));
  }
}
