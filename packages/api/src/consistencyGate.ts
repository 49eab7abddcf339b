import { comparePositions } from '@planledger/core';

/** A write's consistency token: `<partition>:<log position>` (the write's `X-Consistency-Token`). */
const TOKEN = /^(\d{1,5}):(\d{1,20})-(\d{1,20})$/;

export interface ConsistencyGateOptions {
  /** A search projection's checkpoint (last applied log position) in a partition. */
  readonly checkpoint: (partition: number, projection: SearchProjection) => Promise<string | null>;
  /** Makes what a search projection indexed visible to searches. */
  readonly refresh: (projection: SearchProjection) => Promise<void>;
  readonly partitions: number;
  readonly pollMs?: number;
}

/** The projections searches read: the current plans, and their past (`asOf`). */
export type SearchProjection = 'search' | 'asof';

export type ConsistencyGate = (token: string, timeoutMs: number, projection?: SearchProjection) => Promise<'visible' | 'timeout' | 'invalid'>;

/**
 * Waits, bounded, until a search projection (the current plans', or the temporal one) has applied the write a token names, so a search
 * right after a write can see it. Log positions grow within a partition, so "applied" is
 * "checkpoint at or past the token's position".
 */
export function createConsistencyGate({ checkpoint, refresh, partitions, pollMs = 20 }: ConsistencyGateOptions): ConsistencyGate {
  return async (token, timeoutMs, projection = 'search') => {
    const match = TOKEN.exec(token);
    if (!match || Number(match[1]) >= partitions) return 'invalid';
    const partition = Number(match[1]);
    const wanted = `${match[2]}-${match[3]}`;
    for (const deadline = Date.now() + timeoutMs; ; await new Promise((resolve) => setTimeout(resolve, pollMs))) {
      const reached = await checkpoint(partition, projection);
      if (reached !== null && comparePositions(reached, wanted) >= 0) {
        await refresh(projection);
        return 'visible';
      }
      if (Date.now() >= deadline) return 'timeout';
    }
  };
}
