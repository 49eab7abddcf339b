import type { JobRecord } from './JobRecord.js';
import type { JobStore } from './JobStore.js';

/** The in-memory twin of the job store (unit tests); leases run on the injected clock. */
export class InMemoryJobStore implements JobStore {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly locks = new Map<string, { id: string; until: number }>();
  private readonly cancels = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(job: JobRecord, leaseMs: number): Promise<string | null> {
    const lock = this.locks.get(job.projection);
    if (lock && lock.until > this.now()) return lock.id;
    this.locks.set(job.projection, { id: job.id, until: this.now() + leaseMs });
    this.jobs.set(job.id, job);
    return null;
  }

  async heartbeat(job: JobRecord, leaseMs: number): Promise<boolean> {
    const lock = this.locks.get(job.projection);
    if (!lock || lock.id !== job.id || lock.until <= this.now()) return false;
    lock.until = this.now() + leaseMs;
    this.jobs.set(job.id, job);
    return true;
  }

  async finish(job: JobRecord): Promise<void> {
    this.jobs.set(job.id, job);
    if (this.locks.get(job.projection)?.id === job.id) this.locks.delete(job.projection);
  }

  async markInterrupted(job: JobRecord, heartbeatAt: string): Promise<boolean> {
    const current = this.jobs.get(job.id);
    if (current?.state !== 'running' || current.heartbeatAt !== heartbeatAt) return false;
    this.jobs.set(job.id, job);
    return true;
  }

  async get(id: string): Promise<JobRecord | null> {
    return this.jobs.get(id) ?? null;
  }

  async list({ projection, limit }: { projection?: string; limit: number }): Promise<JobRecord[]> {
    return [...this.jobs.values()]
      .reverse()
      .filter((job) => projection === undefined || job.projection === projection)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .slice(0, limit);
  }

  async holder(projection: string): Promise<string | null> {
    const lock = this.locks.get(projection);
    return lock && lock.until > this.now() ? lock.id : null;
  }

  async requestCancel(id: string): Promise<void> {
    this.cancels.add(id);
  }

  async cancelRequested(id: string): Promise<boolean> {
    return this.cancels.has(id);
  }
}
