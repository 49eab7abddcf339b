import type { LogFn, Logger } from './ports/Logger.js';

/** A logger a process runner can write to; pino's `fatal` is used when there is one. */
export type ProcessLogger = Logger & { readonly fatal?: LogFn };

/** A started process: how to stop it, and (for work that ends by itself) when it is done. */
export interface RunningProcess {
  stop(): Promise<void>;
  /** Settles when the work ends by itself (a replay, a topology command); a server never ends. */
  readonly done?: Promise<void>;
  /** The logger the process made while starting (from its own config), if it was not given one. */
  readonly logger?: ProcessLogger;
}

export interface RunProcessOptions {
  readonly name: string;
  /** Where the runner logs stops and failures (until `start` returns a logger of its own). */
  readonly logger?: ProcessLogger;
  start(): Promise<RunningProcess>;
  /** Reports a start-up or work failure before the exit 1; default: logged as fatal. */
  readonly reportFailure?: (error: unknown) => void;
  /** Process hooks, replaceable in tests. */
  readonly exit?: (code: number) => void;
  readonly onSignal?: (signal: NodeJS.Signals, handler: () => void) => void;
}

const silent: ProcessLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * The frame of every process's main: a clean stop on SIGINT or SIGTERM (exit 0, or 1 when the
 * stop fails; a second signal exits 130 at once), exit with `process.exitCode` (default 0) when
 * the work ends by itself, and exit 1 with the reason reported when start-up or the work fails.
 * Takes its logger from the caller, so core needs no logging library.
 */
export async function runProcess({
  name,
  logger: given,
  start,
  reportFailure,
  exit = (code) => process.exit(code),
  onSignal = (signal, handler) => void process.on(signal, handler),
}: RunProcessOptions): Promise<void> {
  let logger = given ?? silent;
  let stop: (() => Promise<void>) | null = null;
  let stopping = false;
  const fail = (error: unknown) => {
    if (reportFailure) reportFailure(error);
    // Called on the logger, not detached from it: pino's methods need their `this`.
    else if (logger.fatal) logger.fatal({ err: error }, `${name} failed: ${(error as Error | null)?.message ?? String(error)}`);
    else logger.error({ err: error }, `${name} failed: ${(error as Error | null)?.message ?? String(error)}`);
    exit(1);
  };
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, `${name}: second signal, exiting now`);
      exit(130);
      return;
    }
    stopping = true;
    logger.info({ signal }, `${name} stopping`);
    void (stop?.() ?? Promise.resolve()).then(
      () => {
        logger.info(`${name} stopped`);
        exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, `${name} failed to stop cleanly`);
        exit(1);
      },
    );
  };
  onSignal('SIGINT', () => shutdown('SIGINT'));
  onSignal('SIGTERM', () => shutdown('SIGTERM'));
  try {
    const running = await start();
    logger = running.logger ?? logger;
    stop = running.stop;
    if (!running.done) return;
    await running.done;
    if (!stopping) {
      logger.info(`${name} finished`);
      exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    }
  } catch (error) {
    if (stopping) return;
    fail(error);
  }
}
