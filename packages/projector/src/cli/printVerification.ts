import type { VerifyJobResult } from '../admin/createAdminService.js';

/** Prints a verification's counts and first mismatches; returns whether it found none. */
export function printVerification(projection: string, result: VerifyJobResult, out: NodeJS.WritableStream = process.stdout): boolean {
  const total = Object.values(result.counts).reduce((sum, n) => sum + n, 0);
  const counts = Object.entries(result.counts).map(([kind, n]) => `${kind} ${n}`).join(', ');
  out.write(`verify ${projection}: ${result.plans} plans, ${total} mismatches (${counts})\n`);
  for (const mismatch of result.mismatches.slice(0, 50)) out.write(`  ${mismatch.kind}: ${mismatch.detail}\n`);
  if (total > 50) out.write(`  … and ${total - 50} more\n`);
  return total === 0;
}
