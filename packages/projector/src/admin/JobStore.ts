import type { JobRecord } from './JobRecord.js';

/**
 * Where admin jobs are kept, shared by every process that runs or shows them (the api, the CLI).
 * Contract:
 * - `claim` saves a new job and takes its projection's lock for `leaseMs`, atomically; when
 *   another job holds the lock nothing is saved and the holder's id is returned.
 * - `heartbeat` saves the job and renews the lock, only while the lock is still the job's (false
 *   otherwise: the lease ran out and another job may have started).
 * - `finish` saves the job's last state and releases the lock if it is still the job's.
 * - `markInterrupted` replaces a running job whose heartbeat is still `heartbeatAt` (nobody
 *   renewed it since it was read); returns whether it did.
 * - `list` returns jobs newest first.
 */
export interface JobStore {
  claim(job: JobRecord, leaseMs: number): Promise<string | null>;
  heartbeat(job: JobRecord, leaseMs: number): Promise<boolean>;
  finish(job: JobRecord): Promise<void>;
  markInterrupted(job: JobRecord, heartbeatAt: string): Promise<boolean>;
  get(id: string): Promise<JobRecord | null>;
  list(options: { projection?: string; limit: number }): Promise<JobRecord[]>;
  /** The id of the job holding a projection's lock; null when none. */
  holder(projection: string): Promise<string | null>;
  requestCancel(id: string): Promise<void>;
  cancelRequested(id: string): Promise<boolean>;
}
