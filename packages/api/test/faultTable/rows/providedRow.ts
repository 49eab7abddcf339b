import type { FaultContext, FaultOutcome, FaultRow } from '../faultRow.js';

/** Where the provided rows' own context lives until the join (a variable: the module may not be there). */
const LOCAL_CONTEXT: string = '../localFaultContext.js';

type ProvidedRun = (ctx: unknown) => Promise<FaultOutcome>;

/**
 * A row whose `run` lives in its own module under rows/ (network partition, clock skew — written
 * beside this harness). Until those modules take this harness's FaultContext, a module that comes
 * with its own context (faultTable/localFaultContext.ts, `createLocalFaultContext(stack)`) runs on
 * that, over the same stack.
 */
export function providedRow(id: number, name: string, module: 'networkPartition' | 'clockSkew'): FaultRow {
  return {
    id,
    name,
    async run(ctx: FaultContext) {
      const provided = (await import(`./${module}.js`).catch((error: unknown) => {
        throw new Error(`rows/${module}.ts does not load (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
      })) as { run: ProvidedRun };
      const local = (await import(LOCAL_CONTEXT).catch(() => null)) as { createLocalFaultContext?: (stack: FaultContext['stack']) => unknown } | null;
      return provided.run(local?.createLocalFaultContext ? { ...(local.createLocalFaultContext(ctx.stack) as object), ops: ctx.ops } : ctx);
    },
  };
}
