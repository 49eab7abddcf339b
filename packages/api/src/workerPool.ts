import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Logger, RunningProcess } from '@planledger/core';

/**
 * The api on every core: a primary process forks `workers` copies of this script, which share
 * the listening port (each accepts new connections from it). Each worker is a whole api — its
 * own Redis and Elasticsearch connections, token cache and admin job runner — just as several
 * api instances behind a load balancer are; nothing is shared but the port.
 *
 * The primary keeps the pool whole: a worker that dies is replaced (after a pause that grows
 * while workers keep dying, so a broken dependency is not hammered), but a worker that dies
 * before it ever listened fails the start (a bad setting would fail every one). Stopping sends
 * each worker SIGTERM (it finishes the requests in hand) and waits for them all. A worker whose
 * primary is gone stops too.
 */

const METRICS_REQUEST = 'planledger:metrics';
const METRICS_REPLY = 'planledger:metrics-reply';

interface MetricsReply {
  readonly type: typeof METRICS_REPLY;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

const isMessage = (message: unknown, type: string): message is { type: string; id: number } => typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;

/** How many workers a setting of `n` means: 0 is one per available core. */
export function workerCount(n: number): number {
  return n > 0 ? n : availableParallelism();
}

export interface WorkerPoolOptions {
  readonly workers: number;
  readonly logger: Logger;
  /** First pause before a dead worker is replaced; doubled while replacements keep dying soon, up to 30 s. */
  readonly restartDelayMs?: number;
}

const MAX_RESTART_DELAY_MS = 30_000;
/** A worker that lived this long before it died resets the pause to its first value. */
const HEALTHY_LIFE_MS = 60_000;

/** In the primary: forks the workers and resolves once every one listens. */
export async function startWorkerPool({ workers, logger, restartDelayMs = 1_000 }: WorkerPoolOptions): Promise<RunningProcess> {
  // The workers accept connections from the shared socket themselves. With the primary dealing
  // them out instead (round robin), a connection handed to a worker that just died hangs for good.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  let delay = restartDelayMs;
  const started = new Map<Worker, number>();

  // A worker's /metrics asks here for every worker's metrics, aggregated.
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage(message, METRICS_REQUEST)) return;
    const reply = (fields: Omit<MetricsReply, 'type' | 'id'>) => worker.isConnected() && worker.send({ type: METRICS_REPLY, id: message.id, ...fields });
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });

  const fork = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork();
      let listening = false;
      worker.once('listening', () => {
        listening = true;
        started.set(worker, Date.now());
        resolve();
      });
      worker.once('exit', (code, signal) => {
        const lived = Date.now() - (started.get(worker) ?? Date.now());
        started.delete(worker);
        if (!listening) {
          reject(new Error(`api worker ${worker.process.pid} exited before it listened (${signal ?? `code ${code}`})`));
          return;
        }
        if (stopping) return;
        if (lived >= HEALTHY_LIFE_MS) delay = restartDelayMs;
        logger.error({ worker: worker.process.pid, code, signal, restartInMs: delay }, 'api worker died: replacing it');
        replace();
      });
    });

  /** Forks a replacement after the current pause, and again (pausing longer) until one listens. */
  const replace = () => {
    const pause = delay;
    delay = Math.min(MAX_RESTART_DELAY_MS, delay * 2);
    setTimeout(() => {
      if (stopping) return;
      fork().catch((error: unknown) => {
        logger.error({ err: error, retryInMs: delay }, 'api worker could not be replaced');
        replace();
      });
    }, pause);
  };

  try {
    await Promise.all(Array.from({ length: workers }, fork));
  } catch (error) {
    await stopAll();
    throw error;
  }
  logger.info({ workers }, 'api workers listening');

  async function stopAll(): Promise<void> {
    stopping = true;
    const living = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && !worker.isDead());
    await Promise.all(
      living.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            // A signal, not a message: a worker still starting has no message handler yet.
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  }

  return { stop: stopAll };
}

/**
 * In a worker: when it stops, for `runProcess`'s `onSignal`. SIGTERM stops it as always (the
 * primary sends it to each worker), and so does the primary going away. SIGINT is left to the
 * primary: a Ctrl-C reaches the whole process group at once, and the primary then stops each
 * worker once.
 */
export function workerSignals(signal: NodeJS.Signals, handler: () => void): void {
  if (signal === 'SIGINT') {
    process.on('SIGINT', () => undefined);
    return;
  }
  process.on(signal, handler);
  if (signal === 'SIGTERM') process.on('disconnect', handler);
}

/**
 * In a worker: the text of `/metrics` for the whole pool. The worker's own registry answers the
 * primary's aggregation, and a scrape of any worker asks the primary for all of them.
 */
export function poolMetrics(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  // Constructed for its side effect: it answers the primary's requests for this worker's metrics.
  new AggregatorRegistry();
  let next = 0;
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        process.off('message', onReply);
        reject(new Error('the api primary did not answer for the metrics in 5 s'));
      }, 5_000);
      const onReply = (message: unknown) => {
        if (!isMessage(message, METRICS_REPLY) || message.id !== id) return;
        clearTimeout(timer);
        process.off('message', onReply);
        const { text, error } = message as MetricsReply;
        if (error !== undefined || text === undefined) reject(new Error(`the pool's metrics could not be gathered: ${error ?? 'no answer'}`));
        else resolve(text);
      };
      process.on('message', onReply);
      process.send?.({ type: METRICS_REQUEST, id });
    });
}
