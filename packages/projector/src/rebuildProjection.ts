import type { Logger } from '@planledger/core';
import { RedisPartitionLog } from '@planledger/core/redis';
import { createFoldingState } from './createFoldingState.js';
import { createProjectionRunner } from './createProjectionRunner.js';
import type { ProjectionContext } from './projectionContext.js';
import { projectionNamed } from './projections/index.js';
import { replayProjection, type ReplayProgress } from './replayProjection.js';

export interface RebuildOptions extends ProjectionContext {
  /** Where to start in each partition (exclusive); absent: the whole log. */
  readonly after?: ReadonlyMap<number, string>;
  /** How long live writers may keep using the old target after the switch (default: the projection's own `settleMs`). */
  readonly settleMs?: number;
  readonly logger: Logger;
  readonly onProgress?: (progress: ReplayProgress & { phase: 'replay' | 'catch-up' }) => void;
  /**
   * Cancels the rebuild while it fills the new generation: the generation is dropped and the live
   * projection was never touched. Once the new generation is active the rebuild runs to its end
   * (the short catch-up pass and dropping the old one), since readers already use it.
   */
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

export interface RebuildResult {
  readonly target: string;
  readonly replaced: string | null;
  readonly events: number;
  readonly seconds: number;
  /** Seconds each step took, in order: creating the generation, the replay, the switch (with its settle wait), the catch-up pass, dropping the old target. */
  readonly phases: RebuildPhases;
}

export interface RebuildPhases {
  readonly create: number;
  readonly replay: number;
  readonly switch: number;
  readonly catchUp: number;
  readonly drop: number;
}

/**
 * Rebuilds a projection from the log into a fresh generation while the api and live projectors
 * keep running: replay (by folding) into the new generation, switch readers and live writers to
 * it, wait until no live write can still reach the old one, replay once more from where the first
 * pass ended (covering what the live projector wrote only to the old generation meanwhile), then
 * drop the old one. External versions and the runner's next-version rule make every double write
 * harmless.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { projection: name, redis, keys, log, logger, now = () => new Date() } = options;
  const projection = projectionNamed(name);
  const settleMs = options.settleMs ?? projection.settleMs;
  const partitionLog = options.partitionLog ?? new RedisPartitionLog(redis, keys);
  const started = Date.now();
  let phaseStart = started;
  /** Seconds since the previous phase ended. */
  const since = () => {
    const end = Date.now();
    const seconds = (end - phaseStart) / 1000;
    phaseStart = end;
    return seconds;
  };
  const stamp = now().toISOString().replace(/[-:.TZ]/g, '').slice(0, 17);
  const generation = await projection.newGeneration(options, stamp);
  const create = since();
  // Until the switch the rebuild alone writes the new generation; after it, live writers do too.
  const state = createFoldingState(log);
  const alone = createProjectionRunner({ log, state, target: generation.target, logger, soleWriter: true });
  const shared = createProjectionRunner({ log, state, target: generation.target, logger });

  let first: Awaited<ReturnType<typeof replayProjection>>;
  try {
    options.signal?.throwIfAborted();
    first = await replayProjection({
      log: partitionLog,
      runner: alone,
      ...(options.after ? { after: options.after } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) => options.onProgress?.({ ...p, phase: 'replay' }),
    });
    options.signal?.throwIfAborted();
  } catch (error) {
    await generation.drop().catch((dropError: unknown) => logger.warn({ projection: name, generation: generation.name, err: dropError }, 'could not drop the unfinished generation'));
    throw error;
  }
  const replay = since();
  const replaced = await generation.activate();
  if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
  const switched = since();
  // What arrived since the first pass began: the partitions' lengths now, less what it read (exact when it read them whole).
  const lengths = options.after ? null : (await Promise.all(Array.from({ length: partitionLog.partitions }, (_, p) => partitionLog.length(p)))).reduce((sum, n) => sum + n, 0);
  const second = await replayProjection({
    log: partitionLog,
    runner: shared,
    after: first.positions,
    ...(lengths === null ? {} : { total: Math.max(0, lengths - first.events) }),
    onProgress: (p) => options.onProgress?.({ ...p, phase: 'catch-up' }),
  });
  const events = first.events + second.events;
  const catchUp = since();
  await generation.dropOld(replaced);
  const phases = { create, replay, switch: switched, catchUp, drop: since() };
  return { target: generation.name, replaced, events, seconds: (Date.now() - started) / 1000, phases };
}
