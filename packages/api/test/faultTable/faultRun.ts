import { startStack, type Stack, type StackShape } from '../stackProcesses.js';
import { startTcpProxy, type TcpProxy } from '../tcpProxy.js';
import { TEST_ES_URL } from '../../../core/test/elasticTestContext.js';
import { createFaultContext } from './faultContext.js';
import { RECOVERY_MEANING, type FaultContext, type FaultOutcome, type FaultRow } from './faultRow.js';
import { CLUSTER_ENV, topologyFromEnv } from './topology.js';

export interface RowResult {
  readonly row: FaultRow;
  readonly outcome: FaultOutcome | null;
  /** Why the row did not run or did not finish. */
  readonly failure?: string;
  readonly skipped?: boolean;
  /** 0 lost, projections equal, no problem of the row's own, and the operations it was asked for. */
  readonly passed: boolean;
}

export interface FaultRunOptions {
  readonly ops: number;
  readonly shape?: StackShape;
  readonly durations?: FaultContext['durations'];
  /** Extra stack settings. */
  readonly env?: Record<string, string>;
  readonly log?: (line: string) => void;
}

export interface FaultRun {
  readonly stack: Stack;
  readonly ctx: FaultContext;
  runRow(row: FaultRow): Promise<RowResult>;
  stop(): Promise<void>;
}

/** The cluster topology's settings for every one the environment leaves unset (cluster tests), unless `FAULT_TOPOLOGY=single`. */
export function applyClusterDefaults(env: NodeJS.ProcessEnv = process.env): void {
  if (env.FAULT_TOPOLOGY === 'single') return;
  for (const [name, value] of Object.entries(CLUSTER_ENV)) env[name] ??= value;
}

/**
 * A stack for the fault rows (two apis, two relays, two projectors by default) on the topology the
 * environment describes; without the Elasticsearch cluster, the stack reaches its Elasticsearch
 * through a proxy so that row 7 can take it away.
 */
export async function startFaultRun({ ops, shape = { apis: 2, relays: 2, projectors: 2 }, durations, env = {}, log = () => undefined }: FaultRunOptions): Promise<FaultRun> {
  const base = topologyFromEnv();
  let esProxy: TcpProxy | null = null;
  if (!base.es) esProxy = await startTcpProxy(Number(new URL(TEST_ES_URL).port));
  const topology = { ...base, esProxy };
  const stack = await startStack({ ES_REQUEST_TIMEOUT_MS: '5000', ...(esProxy ? { ES_URL: `http://127.0.0.1:${esProxy.port}`, ES_NODES: `http://127.0.0.1:${esProxy.port}` } : {}), ...env }, shape);
  const ctx = await createFaultContext({ stack, topology, ops, ...(durations ? { durations } : {}), log });
  return {
    stack,
    ctx,
    async runRow(row) {
      const missing = (row.needs ?? []).filter((part) => !topology[part]);
      if (missing.length > 0) return { row, outcome: null, skipped: true, failure: `needs the ${missing.join(', ')} cluster`, passed: false };
      await reviveStack(stack);
      try {
        const outcome = await row.run(ctx);
        const short = outcome.acknowledged < ops ? [`only ${outcome.acknowledged} of ${ops} operations acknowledged`] : [];
        const problems = [...(outcome.problems ?? []), ...short];
        return { row, outcome: { ...outcome, problems }, passed: outcome.lost === 0 && outcome.projectionsEqual && problems.length === 0 };
      } catch (error) {
        return { row, outcome: null, failure: error instanceof Error ? error.message : String(error), passed: false };
      }
    },
    async stop() {
      await ctx.close();
      await stack.stop();
      await esProxy?.close();
    },
  };
}

/** Starts again any instance a failed row left dead, so the next row finds the whole stack. */
async function reviveStack(stack: Stack): Promise<void> {
  for (const [name, child] of Object.entries(stack.processes) as [keyof Stack['processes'], Stack['processes'][keyof Stack['processes']]][]) {
    if (child.exitCode !== null || child.signalCode !== null) await stack.restart(name);
  }
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '—');

/** The fault table in markdown, what recovery means under it. */
export function formatFaultTable(results: readonly RowResult[], heading: string): string {
  const lines = [
    heading,
    '',
    '| # | fault | operations acknowledged during the fault | acknowledged writes lost | projections equal to the fold of the log | time to recover | result | notes |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map(({ row, outcome, failure, skipped, passed }) =>
      outcome
        ? `| ${row.id} | ${cell(row.name)} | ${outcome.acknowledged} | ${outcome.lost} | ${outcome.projectionsEqual ? 'yes' : 'NO'} | ${seconds(outcome.recoverMs)} | ${passed ? 'pass' : 'FAIL'} | ${cell([...(outcome.problems ?? []), outcome.detail ?? ''].filter(Boolean).join('; '))} |`
        : `| ${row.id} | ${cell(row.name)} | — | — | — | — | ${skipped ? 'not run' : 'FAIL'} | ${cell(failure ?? '')} |`,
    ),
    '',
    `${RECOVERY_MEANING[0]?.toUpperCase()}${RECOVERY_MEANING.slice(1)}. — where a row has no fault to recover from.`,
  ];
  return `${lines.join('\n')}\n`;
}
