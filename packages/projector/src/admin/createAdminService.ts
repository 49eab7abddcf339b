import { DeadLetterNotFound, InvalidParameter, JobNotFound, ProjectionNotFound, readProjectionLag, silentLogger, type EventLog, type Logger, type PartitionLog } from '@planledger/core';
import { RedisProjectionState } from '@planledger/core/redis';
import { findProjection, PROJECTION_NAMES, type Mismatch, type ProjectionResources } from '../projections/index.js';
import { rebuildProjection } from '../rebuildProjection.js';
import { repairProjection } from '../repairProjection.js';
import { verifyProjection, type VerifyResult } from '../verifyProjection.js';
import type { DeadLetter } from './DeadLetter.js';
import type { DeadLetterPage, DeadLetterStore } from './DeadLetterStore.js';
import type { DeadLetterRepublisher } from './DeadLetterRepublisher.js';
import type { JobRecord } from './JobRecord.js';
import type { JobRunner } from './createJobRunner.js';

/** How many mismatches a verification shows in full. */
export const SHOWN_MISMATCHES = 100;

export interface ProjectionStatus {
  readonly name: string;
  readonly target: string;
  /** Events at or before the checkpoints (the log's length less the lag). */
  readonly eventsApplied: number;
  /** Events behind, over every partition (each partition counted up to `lagCap`). */
  readonly lag: number;
  readonly partitions: { partition: number; checkpoint: string | null; head: string | null; lag: number }[];
  readonly deadLetters: number;
  readonly job: JobRecord | null;
}

/** A verification as a job shows it: counts of every mismatch, the first ones in full. */
export interface VerifyJobResult {
  readonly plans: number;
  readonly counts: VerifyResult['counts'];
  readonly mismatches: Mismatch[];
}

export interface AdminServiceOptions extends ProjectionResources {
  readonly log: EventLog;
  readonly partitionLog: PartitionLog;
  readonly jobs: JobRunner;
  readonly deadLetters: DeadLetterStore;
  readonly republisher: DeadLetterRepublisher;
  readonly logger?: Logger;
  readonly now?: () => Date;
  /** Entries counted per partition for lag (default 10,000). */
  readonly lagCap?: number;
}

export interface AdminService {
  projections(): Promise<ProjectionStatus[]>;
  rebuild(projection: string): Promise<JobRecord>;
  verify(projection: string): Promise<JobRecord>;
  /** Repairs what `verification` (a succeeded verify job of the projection) found; without one, verifies first. */
  repair(projection: string, verification?: string): Promise<JobRecord>;
  readonly jobs: JobRunner;
  listDeadLetters(options: { projection?: string; limit: number; cursor?: string }): Promise<DeadLetterPage>;
  deadLetter(id: string): Promise<DeadLetter>;
  retry(id: string, by: string): Promise<DeadLetter>;
  /** Retries every waiting dead letter (of one projection); returns how many. */
  retryAll(projection: string | undefined, by: string): Promise<number>;
  discard(id: string, reason: string, by: string): Promise<DeadLetter>;
}

const shown = (result: VerifyResult): VerifyJobResult => ({ plans: result.plans, counts: result.counts, mismatches: result.mismatches.slice(0, SHOWN_MISMATCHES) });

/** The admin operations, shared by the api (over HTTP) and the CLI: jobs on projections and the dead letters. */
export function createAdminService(options: AdminServiceOptions): AdminService {
  const { redis, keys, log, partitionLog, jobs, deadLetters, republisher, logger = silentLogger, now = () => new Date(), lagCap = 10_000 } = options;
  const resources: ProjectionResources = { redis, keys, es: options.es, alias: options.alias, ...(options.replicas === undefined ? {} : { replicas: options.replicas }) };
  const context = (projection: string) => ({ ...resources, projection, log, partitionLog });

  const known = (name: string): string => {
    const found = findProjection(name);
    if (!found) throw new ProjectionNotFound(name, PROJECTION_NAMES);
    return found.projection.name;
  };

  const verifyJob = async (projection: string, control: Parameters<Parameters<JobRunner['start']>[2]>[0], phase = 'verify') =>
    verifyProjection({
      ...context(projection),
      signal: control.signal,
      onProgress: ({ plansDone, plans }) => control.progress({ phase, eventsDone: plansDone, eventsTotal: plans }),
    });

  const mustGet = async (id: string): Promise<DeadLetter> => {
    const letter = await deadLetters.get(id);
    if (!letter) throw new DeadLetterNotFound(id);
    return letter;
  };

  const retry = async (letter: DeadLetter, by: string): Promise<DeadLetter> => {
    // Marked first: should the retried event fail again, the projector records it waiting again after this.
    const retried: DeadLetter = { ...letter, status: 'retried', retriedAt: now().toISOString(), retriedBy: by };
    if (!(await deadLetters.update(retried, letter))) return mustGet(letter.id);
    try {
      await republisher.republish(letter);
    } catch (error) {
      await deadLetters.update(letter, retried);
      throw error;
    }
    logger.info({ id: letter.id, projection: letter.projection, by }, 'dead letter retried');
    return retried;
  };

  return {
    jobs,
    async projections() {
      return Promise.all(
        PROJECTION_NAMES.map(async (name): Promise<ProjectionStatus> => {
          const state = new RedisProjectionState(redis, keys, name);
          const lags = await readProjectionLag(partitionLog, (partition) => state.checkpoint(partition), { cap: lagCap });
          const partitions = await Promise.all(
            lags.map(async ({ partition, entries }) => {
              const [checkpoint, last, length] = await Promise.all([state.checkpoint(partition), redis.xrevrange(keys.log(partition), '+', '-', 'COUNT', 1), partitionLog.length(partition)]);
              return { partition, checkpoint, head: last[0]?.[0] ?? null, lag: entries, length };
            }),
          );
          return {
            name,
            target: await findProjection(name)!.projection.currentTarget(resources),
            eventsApplied: partitions.reduce((sum, p) => sum + Math.max(0, p.length - p.lag), 0),
            lag: partitions.reduce((sum, p) => sum + p.lag, 0),
            partitions: partitions.map(({ partition, checkpoint, head, lag }) => ({ partition, checkpoint, head, lag })),
            deadLetters: await deadLetters.waitingCount(name),
            job: await jobs.running(name),
          };
        }),
      );
    },

    async rebuild(name) {
      const projection = known(name);
      return jobs.start(projection, 'rebuild', async (control) => {
        let firstTotal = 0;
        let firstEvents = 0;
        return rebuildProjection({
          ...context(projection),
          logger,
          signal: control.signal,
          onProgress: ({ phase, events, total }) => {
            if (phase === 'replay') {
              firstTotal = total ?? firstTotal;
              firstEvents = events;
              control.progress({ phase, eventsDone: events, eventsTotal: firstTotal });
            } else control.progress({ phase, eventsDone: firstEvents + events, eventsTotal: firstTotal + (total ?? 0) });
          },
        });
      });
    },

    async verify(name) {
      const projection = known(name);
      return jobs.start(projection, 'verify', async (control) => shown(await verifyJob(projection, control)));
    },

    async repair(name, verification) {
      const projection = known(name);
      let found: Mismatch[] | null = null;
      if (verification !== undefined) {
        const job = await jobs.get(verification);
        if (!job || job.kind !== 'verify' || job.projection !== projection) throw new JobNotFound(verification);
        if (job.state !== 'succeeded') throw new InvalidParameter([{ pointer: '/verification', message: `job ${verification} is ${job.state}; repair from a succeeded verification` }]);
        const result = job.result as VerifyJobResult;
        const total = Object.values(result.counts).reduce((sum, n) => sum + n, 0);
        // Only the first mismatches are kept with the job: past them, verify again to know them all.
        if (total <= result.mismatches.length) found = result.mismatches;
      }
      return jobs.start(projection, 'repair', async (control) => {
        const mismatches = found ?? (await verifyJob(projection, control)).mismatches;
        const result = await repairProjection({
          ...context(projection),
          mismatches,
          signal: control.signal,
          onProgress: ({ phase, done, total }) => control.progress({ phase: phase === 'repair' ? 'repair' : 'verify-after', eventsDone: done, eventsTotal: total }),
        });
        return { repaired: result.repaired, verification: shown(result.verification) };
      });
    },

    listDeadLetters: (query) => deadLetters.list({ ...query, ...(query.projection === undefined ? {} : { projection: known(query.projection) }) }),

    deadLetter: mustGet,

    retry: async (id, by) => retry(await mustGet(id), by),

    async retryAll(projection, by) {
      let retried = 0;
      for (const id of await deadLetters.waiting(projection === undefined ? undefined : known(projection))) {
        const letter = await deadLetters.get(id);
        if (letter?.status !== 'waiting') continue;
        if ((await retry(letter, by)).status === 'retried') retried += 1;
      }
      return retried;
    },

    async discard(id, reason, by) {
      const letter = await mustGet(id);
      if (letter.status === 'discarded') return letter;
      const discarded: DeadLetter = { ...letter, status: 'discarded', discardReason: reason, discardedBy: by, discardedAt: now().toISOString() };
      if (!(await deadLetters.update(discarded, letter))) return mustGet(id);
      logger.info({ id, projection: letter.projection, by, reason }, 'dead letter discarded');
      return discarded;
    },
  };
}
