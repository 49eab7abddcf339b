#!/usr/bin/env node
import type { VerifyJobResult } from './admin/createAdminService.js';
import { findProjection, PROJECTION_NAMES } from './projections/index.js';
import { parseCliArgs, projectionArgument } from './cli/parseCliArgs.js';
import { printVerification } from './cli/printVerification.js';
import { runAdminCommand } from './cli/runAdminCommand.js';

const USAGE = `usage: npm run verify -- --projection ${PROJECTION_NAMES.join('|')} [--repair]
Compares a live projection with the fold of the log, plan by plan (missing, extra, stale version,
different content), and exits 1 when they differ. Runs as an admin job (seen by the api).
  --projection  ${PROJECTION_NAMES.join(', ')}
  --repair      then re-project only the mismatched plans from the log and verify them again
                (exit 1 when differences remain)`;

const { values } = parseCliArgs(USAGE, { projection: { type: 'string' }, repair: { type: 'boolean' } });
const { name: projection } = projectionArgument(USAGE, values.projection, findProjection);

await runAdminCommand('verify', async ({ admin, run }) => {
  const end = await run(admin.verify(projection));
  if (!end) return;
  const clean = printVerification(projection, end.result as VerifyJobResult);
  if (clean || !values.repair) {
    if (!clean) process.exitCode = 1;
    return;
  }
  const repaired = await run(admin.repair(projection, end.id));
  if (!repaired) return;
  const result = repaired.result as { repaired: number; verification: VerifyJobResult };
  process.stdout.write(`repair ${projection}: re-projected ${result.repaired} plans from the log; afterwards:\n`);
  if (!printVerification(projection, result.verification)) process.exitCode = 1;
});
