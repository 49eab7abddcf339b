import { commonSettings, DomainError, readConfig } from '@planledger/core';
import type { JobRecord } from '../admin/JobRecord.js';
import { runProcess } from '../runProcess.js';
import { openCliContext, type CliContext } from './cliContext.js';

/**
 * Runs an admin command: opens the admin service, runs `work`, closes; a refusal of the service
 * (`DomainError`) is printed and exits 1. On SIGINT or SIGTERM the
 * job it is following is cancelled (a rebuild then drops its unfinished generation) and waited for.
 */
export async function runAdminCommand(name: string, work: (context: CliContext, following: (job: JobRecord) => void) => Promise<void>): Promise<void> {
  const { logLevel } = readConfig(commonSettings, process.env);
  await runProcess(name, logLevel, async (logger) => {
    const context = openCliContext(logger);
    let current: JobRecord | null = null;
    // A refusal (a job already running, an unknown id) is said plainly, with exit 1.
    const done = work(context, (job) => (current = job))
      .catch((error: unknown) => {
        if (!(error instanceof DomainError)) throw error;
        process.stderr.write(`${name}: ${error.message}\n`);
        process.exitCode = 1;
      })
      .finally(() => context.close());
    return {
      done,
      stop: async () => {
        const job = current as JobRecord | null;
        if (job) {
          await context.admin.jobs.cancel(job.id).catch(() => undefined);
          const end = await context.admin.jobs.settled(job.id).catch(() => null);
          if (end) process.stdout.write(`${name}: job ${job.id} ${end.state}\n`);
        }
        await done.catch(() => undefined);
      },
    };
  });
}
