import type { Logger, PartitionLeaseStore } from '@planledger/core';
import { assignPartitions } from './assignPartitions.js';

/** The partitions an instance serves, as the relay and the projector use them. */
export interface PartitionLeases {
  /**
   * Renews the leases held, takes partitions toward the fair share and starts handing over the
   * ones assigned elsewhere (no longer counted as held); returns the partitions held now (ascending).
   */
  refresh(): Promise<number[]>;
  owned(): number[];
  /** Graceful stop: hands over every partition held, releases their leases and leaves at once. */
  releaseAll(): Promise<void>;
}

export interface PartitionShareOptions {
  readonly store: PartitionLeaseStore;
  /** This instance's name: unique among the live instances of its role. */
  readonly member: string;
  /** For logs and metrics (`relay`, `projector`). */
  readonly role: string;
  /** How long a lease and a membership last without renewal: how soon a crashed instance's partitions move. */
  readonly leaseMs: number;
  /** Least time between two rounds (heartbeat, renewals); `refresh` called sooner returns what is held. */
  readonly heartbeatMs: number;
  /**
   * Stops serving partitions and settles what was taken from them (in-flight work finished or
   * returned, checkpoints written); their leases are released only after it resolves. Also told
   * of partitions whose lease was lost (then nothing is released).
   */
  readonly handOver?: (partitions: number[]) => Promise<void>;
  readonly logger?: Logger;
  /** Told the partitions held after every change. */
  readonly onChange?: (partitions: number[]) => void;
  readonly now?: () => number;
}

/**
 * N instances of a role share P partitions, each about P/N: every round an instance heartbeats
 * its membership, computes the fair assignment over the live members (`assignPartitions`, the same
 * on every instance), renews the leases it keeps, hands over those now assigned elsewhere (stops,
 * settles, then releases), and takes those assigned to it once their lease is free. A lease
 * guarantees one holder at a time: a partition moves only when its old holder released it or
 * stopped renewing it for `leaseMs` (crashed); a member that stops heartbeating leaves the
 * assignment after `leaseMs` too, so both lapse together.
 */
export function createPartitionShare(options: PartitionShareOptions): PartitionLeases {
  const { store, member, role, leaseMs, heartbeatMs, logger } = options;
  if (!(heartbeatMs < leaseMs)) throw new RangeError(`The heartbeat (${heartbeatMs} ms) must be shorter than the lease (${leaseMs} ms).`);
  const handOver = options.handOver ?? (async () => undefined);
  const now = options.now ?? Date.now;
  let held: number[] = [];
  /** Partitions being handed over: their leases are still renewed until the hand-over settled and released them. */
  const handing = new Map<number, Promise<void>>();
  /** Hand-overs of lost leases, still settling. */
  const stopping = new Set<Promise<void>>();
  let leaving = false;
  let lastRound = -Infinity;
  let renewedAt = -Infinity;
  let rounds: Promise<unknown> = Promise.resolve();
  /** Runs after the rounds (and releases) queued so far, never beside one. */
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = rounds.then(task);
    rounds = next.catch(() => undefined);
    return next;
  };

  const settle = (next: number[], members: readonly string[]) => {
    const sorted = [...next].sort((a, b) => a - b);
    if (sorted.join() !== held.join()) {
      logger?.info({ role, member, partitions: sorted, members: members.length }, 'partitions owned');
      held = sorted;
      options.onChange?.(held);
    }
  };

  /** Stops serving partitions whose lease is gone (nothing to release). */
  const stop = (partitions: number[]) => {
    const stopped = handOver(partitions).catch((error: unknown) => logger?.error({ role, member, partitions, err: error }, 'stopping partitions failed'));
    stopping.add(stopped);
    void stopped.finally(() => stopping.delete(stopped));
  };

  /**
   * Hands a partition over without holding up the rounds (a projector may take a while to settle
   * what it holds, and the leases it keeps must be renewed meanwhile); released once settled.
   */
  const give = (partition: number) => {
    // Released between rounds, so a round's renewal can never take the lease back just after
    // (when leaving there are no more rounds, and releaseAll waits for these releases).
    const release = () => store.release(partition, member);
    const settled = handOver([partition])
      .then(() => (leaving ? release() : serial(release)))
      .catch((error: unknown) => logger?.error({ role, member, partition, err: error }, 'hand-over failed; the lease lapses instead'))
      .finally(() => handing.delete(partition));
    handing.set(partition, settled);
  };

  const round = async (): Promise<number[]> => {
    const started = now();
    const members = await store.heartbeat(member, leaseMs);
    const target = assignPartitions(members.includes(member) ? members : [...members, member], store.partitions).get(member) ?? [];
    const wanted = [...new Set([...held, ...target, ...handing.keys()])];
    const ours = await Promise.all(wanted.map((partition) => store.acquire(partition, member, leaseMs)));
    renewedAt = started;
    const holding = wanted.filter((_, i) => ours[i]);
    const lost = held.filter((partition) => !holding.includes(partition));
    if (lost.length > 0) {
      logger?.warn({ role, member, partitions: lost }, 'partition leases lost: stopping them');
      stop(lost);
    }
    for (const partition of held) if (holding.includes(partition) && !target.includes(partition)) give(partition);
    // A partition still being handed over is served again only once that settled (a later round).
    settle(holding.filter((partition) => target.includes(partition) && !handing.has(partition)), members);
    return held;
  };

  const guarded = async (): Promise<number[]> => {
    try {
      return await round();
    } catch (error) {
      // Unable to renew for a whole lease: another instance may hold them by now.
      if (held.length > 0 && now() - renewedAt >= leaseMs) {
        const lost = held;
        settle([], []);
        stop(lost);
      }
      throw error;
    }
  };

  /** Resolves once every hand-over under way has settled. */
  const settled = async () => {
    while (handing.size > 0 || stopping.size > 0) await Promise.allSettled([...handing.values(), ...stopping]);
  };

  return {
    refresh: () =>
      serial(async () => {
        if (now() - lastRound < heartbeatMs) return held;
        lastRound = now();
        return guarded();
      }),
    owned: () => [...held],
    releaseAll: () => {
      leaving = true;
      return serial(async () => {
        const given = held;
        settle([], []);
        for (const partition of given) give(partition);
        await settled();
        await store.leave(member).catch(() => undefined);
      });
    },
  };
}
