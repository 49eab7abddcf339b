import type { RedisClient } from '@planledger/core/redis';
import type { RedisKeys } from '@planledger/core/redis';

/** Renews a lease only while it is still ours; releases only our own. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

interface WithLeaseScripts {
  planledgerRenewLease(key: string, owner: string, ms: string): Promise<number>;
  planledgerReleaseLease(key: string, owner: string): Promise<number>;
}

export interface PartitionLeases {
  /** Renews the leases held, takes free ones, and returns the partitions held now (ascending). */
  refresh(): Promise<number[]>;
  owned(): number[];
  releaseAll(): Promise<void>;
}

/**
 * Each partition belongs to at most one relay instance at a time: a Redis key holding the owner's
 * name with a TTL. An instance that stops renewing (crashed, paused) loses its partitions after
 * `leaseMs`, and another instance takes them over.
 */
export function createPartitionLeases({ redis, keys, owner, leaseMs }: { redis: RedisClient; keys: RedisKeys; owner: string; leaseMs: number }): PartitionLeases {
  redis.defineCommand('planledgerRenewLease', { numberOfKeys: 1, lua: RENEW });
  redis.defineCommand('planledgerReleaseLease', { numberOfKeys: 1, lua: RELEASE });
  const scripts = redis as RedisClient & WithLeaseScripts;
  let held: number[] = [];
  let renewedAt = 0;

  return {
    async refresh() {
      // Renewing every call would cost a round trip per partition per read; a third of the lease is plenty.
      if (Date.now() - renewedAt < leaseMs / 3) return held;
      renewedAt = Date.now();
      const next: number[] = [];
      for (let partition = 0; partition < keys.partitions; partition += 1) {
        const key = keys.relayLease(partition);
        const mine = held.includes(partition)
          ? (await scripts.planledgerRenewLease(key, owner, String(leaseMs))) === 1
          : (await redis.set(key, owner, 'PX', leaseMs, 'NX')) === 'OK' || (await redis.get(key)) === owner;
        if (mine) next.push(partition);
      }
      held = next;
      return held;
    },
    owned: () => [...held],
    async releaseAll() {
      await Promise.all(held.map((partition) => scripts.planledgerReleaseLease(keys.relayLease(partition), owner).catch(() => 0)));
      held = [];
    },
  };
}
