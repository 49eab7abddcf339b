import type { JobRecord } from '../admin/JobRecord.js';

export interface ProgressPrinter {
  /** Shows the job's progress: redrawn in place on a terminal, a plain line every `intervalMs` otherwise. */
  update(job: JobRecord): void;
  /** Ends the progress display (a newline after the bar on a terminal). */
  finish(): void;
}

export const formatDuration = (seconds: number) => (seconds >= 90 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${Math.round(seconds)} s`);

/** "events" for a rebuild, "plans" for a verification or a repair. */
const unitOf = (job: JobRecord) => (job.kind === 'rebuild' ? 'events' : 'plans');

/** One line of progress: phase, done of total (percentage), rate, ETA. */
export function progressLine(job: JobRecord): string {
  const unit = unitOf(job);
  const percent = job.eventsTotal > 0 ? ` (${Math.min(100, (100 * job.eventsDone) / job.eventsTotal).toFixed(1)}%)` : '';
  const eta = job.etaSeconds === null ? '' : `, ETA ${formatDuration(job.etaSeconds)}`;
  return `${job.kind} ${job.projection}: ${job.phase} ${job.eventsDone} of ${job.eventsTotal} ${unit}${percent}, ${Math.round(job.eventsPerSecond)} ${unit}/s${eta}`;
}

/** A bar of `width` cells for done/total. */
function bar(done: number, total: number, width = 30): string {
  const filled = total > 0 ? Math.min(width, Math.round((width * done) / total)) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

export function createProgressPrinter(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, { tty = stream.isTTY === true, intervalMs = 1_000, now = Date.now } = {}): ProgressPrinter {
  let lastLine = 0;
  let lastPhase = '';
  let drawn = false;
  return {
    update(job) {
      if (tty) {
        const line = `${bar(job.eventsDone, job.eventsTotal)} ${progressLine(job)}`;
        stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (stream.columns ?? 120) - 1))}`);
        drawn = true;
        return;
      }
      if (now() - lastLine < intervalMs && job.phase === lastPhase) return;
      lastLine = now();
      lastPhase = job.phase;
      stream.write(`${progressLine(job)}\n`);
    },
    finish() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
