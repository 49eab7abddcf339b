import { pino, type Logger } from 'pino';

/**
 * The frame of every process's main: one pino logger, a clean stop on SIGINT/SIGTERM (a second
 * signal exits at once), and a non-zero exit with a logged reason when start-up or the work fails.
 */
export async function runProcess(
  name: string,
  logLevel: string,
  start: (logger: Logger) => Promise<{ done: Promise<void>; stop: () => Promise<void> }>,
): Promise<void> {
  const logger = pino({ name, level: logLevel });
  let stop: (() => Promise<void>) | null = null;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ signal }, `${name} stopping`);
    void (stop?.() ?? Promise.resolve()).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, `${name} failed to stop cleanly`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  try {
    const running = await start(logger);
    stop = running.stop;
    await running.done;
    if (!stopping) {
      logger.info(`${name} finished`);
      process.exit(process.exitCode ?? 0);
    }
  } catch (error) {
    if (stopping) return;
    logger.fatal({ err: error }, `${name} failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
