import type { FaultContext, FaultOutcome, FaultRow } from '../faultRow.js';

/** A row whose `run` lives in its own module under rows/ (written by another part of the work: network partition, clock skew). */
export function providedRow(id: number, name: string, module: 'networkPartition' | 'clockSkew'): FaultRow {
  return {
    id,
    name,
    async run(ctx) {
      const provided = (await import(`./${module}.js`).catch((error: unknown) => {
        throw new Error(`rows/${module}.ts does not load (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
      })) as { run(ctx: FaultContext): Promise<FaultOutcome> };
      return provided.run(ctx);
    },
  };
}
