import type { DeadLetter } from './DeadLetter.js';

/** Hands a dead letter's event back to its projection's partition queue (retry); resolves once the broker has it. */
export interface DeadLetterRepublisher {
  republish(letter: DeadLetter): Promise<void>;
  close(): Promise<void>;
}
