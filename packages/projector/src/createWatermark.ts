import { comparePositions } from '@planledger/core';

/**
 * The checkpoint of a partition consumed with several plans in flight at once: the position up
 * to which every event that arrived has settled. Events settle out of order; the watermark only
 * moves over a contiguous run of settled ones, so "checkpoint ≥ p" always means "everything up to
 * p was applied (or dead-lettered)".
 */
export interface Watermark {
  arrived(position: string): void;
  /**
   * Records an event's fate. `done`: applied, skipped as a duplicate, or dead-lettered for good.
   * `requeued`: handed back to the broker, which will deliver it again (it keeps holding the mark).
   * Returns the new watermark when it moved, else null.
   */
  settled(position: string, fate: 'done' | 'requeued'): string | null;
}

/** `start`: the checkpoint already saved, which the watermark never reports going back before. */
export function createWatermark(start: string | null = null): Watermark {
  const entries: { position: string; done: boolean }[] = [];
  let mark: string | null = start;
  return {
    arrived(position) {
      entries.push({ position, done: false });
    },
    settled(position, fate) {
      if (fate === 'done') for (const entry of entries) if (entry.position === position) entry.done = true;
      let moved = false;
      for (let entry = entries[0]; entry?.done; entry = entries[0]) {
        entries.shift();
        // A redelivery arrives after later events: the mark never goes back.
        if (mark === null || comparePositions(entry.position, mark) > 0) {
          mark = entry.position;
          moved = true;
        }
      }
      return moved ? mark : null;
    },
  };
}
