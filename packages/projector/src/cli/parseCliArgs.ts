import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's arguments strictly (unknown flags, a missing or extra value are errors):
 * on an error prints what was wrong and the usage to stderr and exits 2; `--help` prints the
 * usage and exits 0.
 */
export interface CliArgs {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

export function parseCliArgs(usage: string, options: Options, { args = process.argv.slice(2), positionals = false }: { args?: string[]; positionals?: boolean } = {}): CliArgs {
  try {
    const parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals: positionals });
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    return { values: parsed.values as CliArgs['values'], positionals: parsed.positionals };
  } catch (error) {
    return usageError(usage, (error as Error).message);
  }
}

/** Prints what was wrong and the usage, and exits 2. */
export function usageError(usage: string, message: string): never {
  process.stderr.write(`error: ${message}\n${usage}\n`);
  process.exit(2);
}

/** The `--projection` flag, required: a projection of the registry (a former name too); exits 2 otherwise. */
export function projectionArgument(usage: string, value: string | boolean | undefined, known: (name: string) => { projection: { name: string }; formerName: string | null } | null): { name: string; formerName: string | null } {
  if (value === undefined) return usageError(usage, '--projection is required');
  const found = known(String(value));
  if (!found) return usageError(usage, `--projection: no projection named '${String(value)}'`);
  return { name: found.projection.name, formerName: found.formerName };
}
