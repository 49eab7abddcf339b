export type JobKind = 'rebuild' | 'verify' | 'repair';
export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

/** An admin job on a projection, as stored and shown (the api adds its `href`). */
export interface JobRecord {
  readonly id: string;
  readonly projection: string;
  readonly kind: JobKind;
  readonly state: JobState;
  /** What the job is doing now (`replay`, `catch-up`, `verify`, `repair`, `done`). */
  readonly phase: string;
  /** Units of work done: events for a rebuild, plans for a verification or a repair. */
  readonly eventsDone: number;
  /** Units of work in all, known when the phase starts. */
  readonly eventsTotal: number;
  readonly eventsPerSecond: number;
  /** Seconds left at the current rate; null when unknown. */
  readonly etaSeconds: number | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly result: unknown;
  readonly error: string | null;
  /** When the process running the job last showed it was alive (ISO time). */
  readonly heartbeatAt: string;
  /** The process running it (host and pid), for operators. */
  readonly owner: string;
}
