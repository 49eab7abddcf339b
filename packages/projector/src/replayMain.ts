#!/usr/bin/env node
import type { RebuildResult } from './rebuildProjection.js';
import { findProjection, PROJECTION_NAMES } from './projections/index.js';
import { parseCliArgs, projectionArgument } from './cli/parseCliArgs.js';
import { printVerification } from './cli/printVerification.js';
import { runAdminCommand } from './cli/runAdminCommand.js';
import type { VerifyJobResult } from './admin/createAdminService.js';

const USAGE = `usage: npm run replay -- --projection ${PROJECTION_NAMES.join('|')} [--verify]
Rebuilds a projection straight from the log into a fresh generation while everything keeps
running (each plan folded and written once), switches readers and live projectors to it, and
drops the old one. Runs as an admin job (seen by the api under /v1/admin/jobs; one job per
projection at a time); Ctrl-C cancels it before the switch and drops the new generation.
  --projection  ${PROJECTION_NAMES.join(', ')}
  --verify      afterwards, compare the projection with the fold of the log, plan by plan (exit 1 on any difference)`;

const { values } = parseCliArgs(USAGE, { projection: { type: 'string' }, verify: { type: 'boolean' } });
const { name: projection, formerName } = projectionArgument(USAGE, values.projection, findProjection);
if (formerName) process.stderr.write(`replay: --projection ${formerName} is deprecated; it is now called ${projection}\n`);

await runAdminCommand('replay', async ({ admin, run }) => {
  const end = await run(admin.rebuild(projection));
  if (!end) return;
  const result = end.result as RebuildResult;
  process.stdout.write(
    `replay ${projection}: rebuilt ${result.target} from ${result.events} events in ${result.seconds.toFixed(1)} s ` +
      `(${Math.round(result.events / Math.max(result.seconds, 0.001))} events/s); replaced ${result.replaced ?? 'nothing'}\n` +
      `  phases: ${Object.entries(result.phases).map(([phase, seconds]) => `${phase} ${seconds.toFixed(2)} s`).join(', ')}\n`,
  );
  if (!values.verify) return;
  const verified = await run(admin.verify(projection));
  if (verified && !printVerification(projection, verified.result as VerifyJobResult)) process.exitCode = 1;
});
