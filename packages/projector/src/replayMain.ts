#!/usr/bin/env node
import type { RebuildResult } from './rebuildProjection.js';
import { findProjection, PROJECTION_NAMES } from './projections/index.js';
import { parseCliArgs, usageError } from './cli/parseCliArgs.js';
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
if (values.projection === undefined) usageError(USAGE, '--projection is required');
const found = findProjection(String(values.projection));
if (!found) usageError(USAGE, `--projection: no projection named '${String(values.projection)}'`);
if (found.formerName) process.stderr.write(`replay: --projection ${found.formerName} is deprecated; it is now called ${found.projection.name}\n`);
const projection = found.projection.name;

await runAdminCommand('replay', async ({ admin, follow }, following) => {
  const job = await admin.rebuild(projection);
  following(job);
  const end = await follow(job);
  if (end.state !== 'succeeded') {
    process.stdout.write(`replay ${projection}: ${end.state}${end.error ? `: ${end.error}` : ''}\n`);
    process.exitCode = 1;
    return;
  }
  const result = end.result as RebuildResult;
  process.stdout.write(
    `replay ${projection}: rebuilt ${result.target} from ${result.events} events in ${result.seconds.toFixed(1)} s ` +
      `(${Math.round(result.events / Math.max(result.seconds, 0.001))} events/s); replaced ${result.replaced ?? 'nothing'}\n`,
  );
  if (!values.verify) return;
  const verification = await admin.verify(projection);
  following(verification);
  const verified = await follow(verification);
  if (verified.state !== 'succeeded' || !printVerification(projection, verified.result as VerifyJobResult)) process.exitCode = 1;
});
