import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { JobNotFound, JobRunning, silentLogger, type Logger } from '@planledger/core';
import type { JobKind, JobRecord, JobState } from './JobRecord.js';
import type { JobStore } from './JobStore.js';

/** What a job's work is handed: a signal (checked between batches) and where to report progress. */
export interface JobControl {
  readonly signal: AbortSignal;
  progress(update: { phase?: string; eventsDone?: number; eventsTotal?: number }): void;
}

export interface JobRunnerOptions {
  readonly store: JobStore;
  /** How long a job's lock lives without a heartbeat; past it the job reads as interrupted. */
  readonly leaseMs?: number;
  /** How often a running job saves its progress and renews its lock. */
  readonly heartbeatMs?: number;
  readonly now?: () => Date;
  readonly newId?: () => string;
  readonly logger?: Logger;
}

export interface JobRunner {
  /** Starts `work` as a job of `projection`; throws `JobRunning` while another job of it runs. */
  start(projection: string, kind: JobKind, work: (control: JobControl) => Promise<unknown>): Promise<JobRecord>;
  /** The job as it stands; a running job whose process stopped reads as `interrupted`. */
  get(id: string): Promise<JobRecord | null>;
  list(options?: { projection?: string; limit?: number }): Promise<JobRecord[]>;
  /** The running job of a projection, if any. */
  running(projection: string): Promise<JobRecord | null>;
  /** Asks a running job (in this process or another) to stop; it then ends `cancelled`. */
  cancel(id: string): Promise<JobRecord>;
  /** Resolves with a job of this process once it ended. */
  settled(id: string): Promise<JobRecord>;
  /** Marks every running job whose heartbeat stopped as interrupted (run at start); returns how many. */
  sweep(): Promise<number>;
  /** Stops this process's jobs; they end `interrupted`. */
  close(): Promise<void>;
}

class Cancelled extends Error {
  override readonly name = 'Cancelled';
}
class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

interface Local {
  record: JobRecord;
  readonly controller: AbortController;
  readonly done: Promise<JobRecord>;
  readonly startedMs: number;
}

/**
 * Runs admin jobs in this process and shows every process's jobs: one job per projection at a
 * time (a lock in the store, renewed by a heartbeat that also saves progress), cancel through an
 * AbortSignal (also when asked from another process: the heartbeat sees the request), and honest
 * interruption: a job whose heartbeat stopped reads as `interrupted`, never `running` forever.
 */
export function createJobRunner({ store, leaseMs = 10_000, heartbeatMs = 1_000, now = () => new Date(), newId = randomUUID, logger = silentLogger }: JobRunnerOptions): JobRunner {
  const local = new Map<string, Local>();
  const owner = `${hostname()}/${process.pid}`;

  const withRate = (job: Local): JobRecord => {
    const seconds = Math.max(0.001, (now().getTime() - job.startedMs) / 1000);
    const { eventsDone, eventsTotal } = job.record;
    const eventsPerSecond = eventsDone / seconds;
    const etaSeconds = eventsPerSecond > 0 && eventsTotal >= eventsDone ? (eventsTotal - eventsDone) / eventsPerSecond : null;
    return { ...job.record, eventsPerSecond, etaSeconds, heartbeatAt: now().toISOString() };
  };

  const staleness = (record: JobRecord): JobRecord | null => {
    if (record.state !== 'running' || local.has(record.id)) return null;
    if (now().getTime() - Date.parse(record.heartbeatAt) <= leaseMs) return null;
    return { ...record, state: 'interrupted', finishedAt: record.heartbeatAt, etaSeconds: null, error: `The process running the job (${record.owner}) stopped: no heartbeat since ${record.heartbeatAt}.` };
  };

  const view = async (record: JobRecord | null): Promise<JobRecord | null> => {
    if (record === null) return null;
    const interrupted = staleness(record);
    if (!interrupted) return local.get(record.id) ? withRate(local.get(record.id)!) : record;
    if (await store.markInterrupted(interrupted, record.heartbeatAt)) logger.warn({ job: record.id, projection: record.projection, owner: record.owner }, 'job interrupted: its process stopped');
    return (await store.get(record.id)) ?? interrupted;
  };

  const finalState = (error: unknown, signal: AbortSignal): JobState => {
    if (signal.aborted && signal.reason instanceof Cancelled) return 'cancelled';
    if (signal.aborted && signal.reason instanceof Interrupted) return 'interrupted';
    return error instanceof Cancelled ? 'cancelled' : 'failed';
  };

  return {
    async start(projection, kind, work) {
      const at = now();
      const record: JobRecord = {
        id: newId(),
        projection,
        kind,
        state: 'running',
        phase: 'starting',
        eventsDone: 0,
        eventsTotal: 0,
        eventsPerSecond: 0,
        etaSeconds: null,
        startedAt: at.toISOString(),
        finishedAt: null,
        result: null,
        error: null,
        heartbeatAt: at.toISOString(),
        owner,
      };
      const holder = await store.claim(record, leaseMs);
      if (holder !== null) throw new JobRunning(projection, holder);
      const controller = new AbortController();
      let resolveDone!: (record: JobRecord) => void;
      const job: Local = { record, controller, done: new Promise((resolve) => (resolveDone = resolve)), startedMs: at.getTime() };
      local.set(record.id, job);
      const control: JobControl = {
        signal: controller.signal,
        progress(update) {
          job.record = { ...job.record, ...update };
        },
      };
      let beating = Promise.resolve();
      const heartbeat = setInterval(() => {
        beating = beating.then(async () => {
          if (!local.has(record.id)) return;
          if (await store.cancelRequested(record.id)) controller.abort(new Cancelled('cancelled'));
          if (!(await store.heartbeat(withRate(job), leaseMs))) {
            logger.error({ job: record.id, projection }, 'job lost its lock: stopping it');
            controller.abort(new Error('The job lost its lock (no heartbeat within the lease); another job may have started.'));
          }
        }).catch((error: unknown) => logger.warn({ job: record.id, err: error }, 'job heartbeat failed'));
      }, heartbeatMs);
      heartbeat.unref?.();
      void (async () => {
        let outcome: Partial<JobRecord>;
        try {
          const result = await work(control);
          outcome = { state: 'succeeded', phase: 'done', result, error: null };
        } catch (error) {
          const state = finalState(error, controller.signal);
          const reason = controller.signal.aborted ? (controller.signal.reason as Error) : (error as Error);
          outcome = { state, error: state === 'cancelled' ? 'Cancelled by an admin.' : String(reason?.message ?? reason) };
          if (state === 'failed') logger.error({ job: record.id, projection, kind, err: error }, 'job failed');
        }
        clearInterval(heartbeat);
        await beating;
        const final: JobRecord = { ...withRate(job), ...outcome, etaSeconds: null, finishedAt: now().toISOString() };
        local.delete(record.id);
        await store.finish(final).catch((error: unknown) => logger.error({ job: record.id, err: error }, 'could not save the job’s end'));
        resolveDone(final);
      })();
      return record;
    },

    get: async (id) => view(await store.get(id)),

    async list({ projection, limit = 100 } = {}) {
      const records = await store.list({ ...(projection === undefined ? {} : { projection }), limit });
      return Promise.all(records.map(async (record) => (await view(record))!));
    },

    async running(projection) {
      const id = await store.holder(projection);
      const job = id === null ? null : await view(await store.get(id));
      return job?.state === 'running' ? job : null;
    },

    async cancel(id) {
      const record = await view(await store.get(id));
      if (!record) throw new JobNotFound(id);
      if (record.state !== 'running') return record;
      const job = local.get(id);
      if (job) job.controller.abort(new Cancelled('cancelled'));
      else await store.requestCancel(id);
      return record;
    },

    async settled(id) {
      const job = local.get(id);
      if (job) return job.done;
      const record = await view(await store.get(id));
      if (!record) throw new JobNotFound(id);
      return record;
    },

    async sweep() {
      let marked = 0;
      for (const record of await store.list({ limit: 500 })) {
        const interrupted = staleness(record);
        if (interrupted && (await store.markInterrupted(interrupted, record.heartbeatAt))) marked += 1;
      }
      return marked;
    },

    async close() {
      const jobs = [...local.values()];
      for (const job of jobs) job.controller.abort(new Interrupted('The process running the job is stopping.'));
      await Promise.all(jobs.map((job) => job.done));
    },
  };
}
