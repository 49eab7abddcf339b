import { commonSettings, DomainError, readConfig } from '@planledger/core';
import type { JobRecord } from '../admin/JobRecord.js';
import { runProcess } from '../runProcess.js';
import { openCliContext, type CliContext } from './cliContext.js';

/**
 * Runs an admin command: opens the admin service, runs `work`, closes; a refusal of the service
 * (`DomainError`) is printed and exits 1. On SIGINT or SIGTERM the
 * job it is following is cancelled (a rebuild then drops its unfinished generation) and waited for.
 */
export interface AdminCommand extends CliContext {
  /**
   * Follows a job this command started (printing progress; Ctrl-C cancels it) until it ends:
   * its end when it succeeded; otherwise says how it ended, sets exit code 1 and returns null.
   */
  run(started: Promise<JobRecord>): Promise<JobRecord | null>;
}

export async function runAdminCommand(name: string, work: (command: AdminCommand) => Promise<void>): Promise<void> {
  const { logLevel } = readConfig(commonSettings, process.env);
  await runProcess(name, logLevel, async (logger) => {
    const context = openCliContext(logger);
    let current: JobRecord | null = null;
    // A refusal (a job already running, an unknown id) is said plainly, with exit 1.
    const run = async (started: Promise<JobRecord>): Promise<JobRecord | null> => {
      const job = await started;
      current = job;
      const end = await context.follow(job);
      if (end.state === 'succeeded') return end;
      process.stdout.write(`${end.kind} ${end.projection}: ${end.state}${end.error ? `: ${end.error}` : ''}\n`);
      process.exitCode = 1;
      return null;
    };
    const done = work({ ...context, run })
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
