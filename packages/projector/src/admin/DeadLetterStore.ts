import type { DeadLetter } from './DeadLetter.js';

export interface DeadLetterPage {
  readonly deadLetters: DeadLetter[];
  /** Opaque cursor of the next page; null on the last. */
  readonly next: string | null;
}

/**
 * Where dead letters are kept for admins: recorded by the projector when it sets a message aside
 * (and for messages the broker dead-lettered on its own), listed newest first, retried or
 * discarded. Contract: `record` of the same id again replaces the record and makes it `waiting`
 * again (one record per message, never two); `waiting` counts and lists only waiting ones.
 */
export interface DeadLetterStore {
  record(letter: DeadLetter): Promise<void>;
  get(id: string): Promise<DeadLetter | null>;
  list(options: { projection?: string; limit: number; cursor?: string }): Promise<DeadLetterPage>;
  /** Ids of the waiting dead letters of a projection (every projection when absent). */
  waiting(projection?: string): Promise<string[]>;
  waitingCount(projection: string): Promise<number>;
  /**
   * Replaces the record (a status change) only while it is still `expected` (same status and
   * time dead-lettered: the projector did not record it again meanwhile); the waiting set
   * follows its status. Returns whether it did.
   */
  update(letter: DeadLetter, expected: DeadLetter): Promise<boolean>;
}
