import { comparePositions } from '@planledger/core';

/** A write's consistency token: `<partition>:<log position>` (the write's `X-Consistency-Token`). */
const TOKEN = /^(\d{1,5}):(\d{1,20})-(\d{1,20})$/;

export interface ConsistencyGateOptions {
  /** The search projection's checkpoint (last applied log position) in a partition. */
  readonly checkpoint: (partition: number) => Promise<string | null>;
  /** Makes what was indexed visible to searches. */
  readonly refresh: () => Promise<void>;
  readonly partitions: number;
  readonly pollMs?: number;
}

export type ConsistencyGate = (token: string, timeoutMs: number) => Promise<'visible' | 'timeout' | 'invalid'>;

/**
 * Waits, bounded, until the search projection has applied the write a token names, so a search
 * right after a write can see it. Log positions grow within a partition, so "applied" is
 * "checkpoint at or past the token's position".
 */
export function createConsistencyGate({ checkpoint, refresh, partitions, pollMs = 20 }: ConsistencyGateOptions): ConsistencyGate {
  return async (token, timeoutMs) => {
    const match = TOKEN.exec(token);
    if (!match || Number(match[1]) >= partitions) return 'invalid';
    const partition = Number(match[1]);
    const wanted = `${match[2]}-${match[3]}`;
    for (const deadline = Date.now() + timeoutMs; ; await new Promise((resolve) => setTimeout(resolve, pollMs))) {
      const reached = await checkpoint(partition);
      if (reached !== null && comparePositions(reached, wanted) >= 0) {
        await refresh();
        return 'visible';
      }
      if (Date.now() >= deadline) return 'timeout';
    }
  };
}
