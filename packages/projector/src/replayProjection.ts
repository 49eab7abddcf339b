import { planKey, refOf, type PartitionLog, type PlanEvent } from '@planledger/core';
import type { ProjectionRunner } from './createProjectionRunner.js';

export interface ReplayProgress {
  /** Events read so far. */
  readonly events: number;
  /** Events to read, known up front (the partitions' lengths) when replaying whole partitions; else null. */
  readonly total: number | null;
  readonly partitionsDone: number;
  readonly partitions: number;
  readonly eventsPerSecond: number;
  /** Seconds left at the current rate, when the total is known. */
  readonly etaSeconds: number | null;
}

export interface ReplayOptions {
  readonly log: PartitionLog;
  /** A runner over the target being rebuilt, with its own state. */
  readonly runner: ProjectionRunner;
  /** Where to start in each partition's log (exclusive); absent: from the beginning. */
  readonly after?: ReadonlyMap<number, string>;
  readonly batchSize?: number;
  /** How many partitions replay at once. */
  readonly concurrency?: number;
  /** How many plans' changes are written at once (their writes share bulk requests). */
  readonly writeConcurrency?: number;
  /** Write out what is held once this many events are held (bounds memory; a plan may then be written more than once). */
  readonly maxHeldEvents?: number;
  readonly onProgress?: (progress: ReplayProgress) => void;
  /** The events this replay will read, when the caller knows it (default: the partitions' lengths when replaying them whole, else unknown). */
  readonly total?: number;
  /** Checked between batches: an aborted replay stops with the signal's reason. */
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

/**
 * Feeds a projection straight from the log by folding: each partition is read in order up to its
 * current end, its events grouped per plan, and each plan handed to the runner once, as one change
 * from the state the target has to the folded final state. Its cost follows the events read and
 * the plans written, not the depth of any plan's history. Returns the last position read per
 * partition, to continue from, and how many events it read.
 */
export async function replayProjection(options: ReplayOptions): Promise<{ positions: Map<number, string>; events: number }> {
  const { log, runner, after = new Map(), batchSize = 1000, concurrency = 4, writeConcurrency = 1024, maxHeldEvents = 200_000, onProgress, signal, now = Date.now } = options;
  const positions = new Map(after);
  const queue = Array.from({ length: log.partitions }, (_, partition) => partition);
  const started = now();
  const total = options.total ?? (after.size === 0 ? (await Promise.all(queue.map((p) => log.length(p)))).reduce((sum, n) => sum + n, 0) : null);
  let events = 0;
  let partitionsDone = 0;
  const report = () => {
    if (!onProgress) return;
    const seconds = Math.max(0.001, (now() - started) / 1000);
    const eventsPerSecond = events / seconds;
    const etaSeconds = total === null || eventsPerSecond === 0 ? null : Math.max(0, total - events) / eventsPerSecond;
    onProgress({ events, total, partitionsDone, partitions: log.partitions, eventsPerSecond, etaSeconds });
  };

  const write = async (held: Map<string, PlanEvent[]>) => {
    const chains = [...held.values()];
    held.clear();
    await Promise.all(
      Array.from({ length: Math.min(writeConcurrency, chains.length) }, async () => {
        for (let chain = chains.pop(); chain !== undefined; chain = chains.pop()) await runner.handleChain(chain);
      }),
    );
  };

  const replayPartition = async (partition: number) => {
    const held = new Map<string, PlanEvent[]>();
    let heldEvents = 0;
    let readUpTo = positions.get(partition) ?? null;
    for (;;) {
      signal?.throwIfAborted();
      const entries = await log.read(partition, { after: readUpTo, count: batchSize });
      if (entries.length === 0) break;
      for (const entry of entries) {
        if (entry.json === '') continue;
        const event = JSON.parse(entry.json) as PlanEvent;
        const plan = planKey(refOf(event));
        const chain = held.get(plan);
        if (chain) chain.push(event);
        else held.set(plan, [event]);
      }
      heldEvents += entries.length;
      readUpTo = entries.at(-1)!.position;
      events += entries.length;
      if (heldEvents >= maxHeldEvents) {
        await write(held);
        heldEvents = 0;
        positions.set(partition, readUpTo);
      }
      report();
    }
    await write(held);
    if (readUpTo !== null) positions.set(partition, readUpTo);
    partitionsDone += 1;
    report();
  };

  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let partition = queue.shift(); partition !== undefined; partition = queue.shift()) await replayPartition(partition);
    }),
  );
  return { positions, events };
}
