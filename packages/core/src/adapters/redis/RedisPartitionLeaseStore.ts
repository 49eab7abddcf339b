import type { RedisClient } from './connectRedis.js';
import type { PartitionLeaseStore } from '../../ports/PartitionLeaseStore.js';
import type { RedisKeys } from './redisKeys.js';

/**
 * Membership: one sorted set per role (member → expiry on the server's clock), in one hash slot.
 * Leases: one key per partition holding the holder's name with a TTL, in the partition's slot.
 * Every step is one script on one key, so it works the same on one Redis and on a Redis Cluster.
 */
const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')`;
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

interface WithLeaseScripts {
  planledgerHeartbeat(key: string, member: string, ttlMs: string): Promise<string[]>;
  planledgerAcquireLease(key: string, member: string, ttlMs: string): Promise<number>;
  planledgerReleaseLease(key: string, member: string): Promise<number>;
}

export class RedisPartitionLeaseStore implements PartitionLeaseStore {
  readonly partitions: number;
  private readonly scripts: WithLeaseScripts;

  /** `role` names the instances sharing the partitions (`relay`, `projector`). */
  constructor(private readonly redis: RedisClient, private readonly keys: RedisKeys, private readonly role: string) {
    this.partitions = keys.partitions;
    redis.defineCommand('planledgerHeartbeat', { numberOfKeys: 1, lua: HEARTBEAT });
    redis.defineCommand('planledgerAcquireLease', { numberOfKeys: 1, lua: ACQUIRE });
    redis.defineCommand('planledgerReleaseLease', { numberOfKeys: 1, lua: RELEASE });
    this.scripts = redis as unknown as WithLeaseScripts;
  }

  async heartbeat(member: string, ttlMs: number): Promise<string[]> {
    return (await this.scripts.planledgerHeartbeat(this.keys.members(this.role), member, String(ttlMs))).sort();
  }

  async leave(member: string): Promise<void> {
    await this.redis.zrem(this.keys.members(this.role), member);
  }

  async acquire(partition: number, member: string, ttlMs: number): Promise<boolean> {
    return (await this.scripts.planledgerAcquireLease(this.keys.lease(this.role, partition), member, String(ttlMs))) === 1;
  }

  async release(partition: number, member: string): Promise<void> {
    await this.scripts.planledgerReleaseLease(this.keys.lease(this.role, partition), member);
  }

  async holders(): Promise<(string | null)[]> {
    return Promise.all(Array.from({ length: this.partitions }, (_, partition) => this.redis.get(this.keys.lease(this.role, partition))));
  }
}
