#!/usr/bin/env node
import type { VerifyJobResult } from './admin/createAdminService.js';
import { findProjection, PROJECTION_NAMES } from './projections/index.js';
import { parseCliArgs, usageError } from './cli/parseCliArgs.js';
import { printVerification } from './cli/printVerification.js';
import { runAdminCommand } from './cli/runAdminCommand.js';

const USAGE = `usage: npm run verify -- --projection ${PROJECTION_NAMES.join('|')} [--repair]
Compares a live projection with the fold of the log, plan by plan (missing, extra, stale version,
different content), and exits 1 when they differ. Runs as an admin job (seen by the api).
  --projection  ${PROJECTION_NAMES.join(', ')}
  --repair      then re-project only the mismatched plans from the log and verify them again
                (exit 1 when differences remain)`;

const { values } = parseCliArgs(USAGE, { projection: { type: 'string' }, repair: { type: 'boolean' } });
if (values.projection === undefined) usageError(USAGE, '--projection is required');
const found = findProjection(String(values.projection));
if (!found) usageError(USAGE, `--projection: no projection named '${String(values.projection)}'`);
const projection = found.projection.name;

await runAdminCommand('verify', async ({ admin, follow }, following) => {
  const job = await admin.verify(projection);
  following(job);
  const end = await follow(job);
  if (end.state !== 'succeeded') {
    process.stdout.write(`verify ${projection}: ${end.state}${end.error ? `: ${end.error}` : ''}\n`);
    process.exitCode = 1;
    return;
  }
  const clean = printVerification(projection, end.result as VerifyJobResult);
  if (clean || !values.repair) {
    if (!clean) process.exitCode = 1;
    return;
  }
  const repair = await admin.repair(projection, end.id);
  following(repair);
  const repaired = await follow(repair);
  if (repaired.state !== 'succeeded') {
    process.stdout.write(`repair ${projection}: ${repaired.state}${repaired.error ? `: ${repaired.error}` : ''}\n`);
    process.exitCode = 1;
    return;
  }
  const result = repaired.result as { repaired: number; verification: VerifyJobResult };
  process.stdout.write(`repair ${projection}: re-projected ${result.repaired} plans from the log; afterwards:\n`);
  if (!printVerification(projection, result.verification)) process.exitCode = 1;
});
