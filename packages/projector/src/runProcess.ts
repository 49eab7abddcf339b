import { pino, type Logger } from 'pino';
import { runProcess as runCoreProcess } from '@planledger/core';

/**
 * The frame of the projector package's mains: core's process runner (clean stop on SIGINT or
 * SIGTERM, a second signal exits, exit 1 with the reason when start-up or the work fails) with
 * one pino logger named after the process.
 */
export async function runProcess(
  name: string,
  logLevel: string,
  start: (logger: Logger) => Promise<{ done: Promise<void>; stop: () => Promise<void> }>,
): Promise<void> {
  const logger = pino({ name, level: logLevel });
  await runCoreProcess({ name, logger, start: () => start(logger) });
}
