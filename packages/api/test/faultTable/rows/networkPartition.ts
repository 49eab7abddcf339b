import { TEST_REDIS_URL } from '../../../../core/test/redisTestContext.js';
import { TEST_AMQP_URL } from '../../stackProcesses.js';
import { startTcpProxy, type FaultMode } from '../../tcpProxy.js';
import type { FaultContext, FaultOutcome } from '../localFaultContext.js';
import type { LoadResult, RequestRecord } from '../keyedWriteLoad.js';

/**
 * Row 8: network partitions. (a) Between the api and Redis: the api's connection to the log is
 * black-holed, reset, half-open and slowed, one fault after another, under a keyed write load
 * and read probes; every request must be answered within `API_BOUND_MS` (503 problem+json with
 * Retry-After while the log is away, never a hang, never a 500), writes resume after healing,
 * and every acknowledged write — including those retried with their Idempotency-Key after an
 * unknown outcome — is in the log. (b) Between the projector and RabbitMQ: the projector's
 * connection is black-holed, then half-open; it must notice (AMQP heartbeat) within
 * `BROKER_NOTICE_BOUND_MS` and resume — by reconnecting, or by exiting so its supervisor starts
 * it again (what this repository's projector does until broker reconnects land) — and every
 * projection must equal the fold of the log afterwards.
 *
 * (a) puts its proxy in front of one Redis server (`REDIS_URL`): the stack must run on one
 * server, not the cluster (cutting the api off from a Redis Cluster needs a proxy per node).
 */

/** The bound every api request is held to while Redis is away (REDIS_COMMAND_TIMEOUT_MS is 1 s). */
export const API_BOUND_MS = 3_000;
/** The projector's AMQP heartbeat in this row: a silent broker is noticed after about two of them. */
export const HEARTBEAT_S = 1;
/** The bound on the projector noticing a silent broker. */
export const BROKER_NOTICE_BOUND_MS = 10_000;

export interface PhaseReport {
  readonly fault: string;
  /** Requests sent while the fault held. */
  readonly requests: number;
  /** Slowest of them (ms). */
  readonly maxMs: number;
  /** Answers by status and problem type, e.g. `503 /problems/unavailable`. */
  readonly answers: Readonly<Record<string, number>>;
  /** Answers past the bound, and 5xx other than 503 (must be none). */
  readonly violations: readonly RequestRecord[];
  /** Writes acknowledged while the fault held (latency faults below the timeout keep serving). */
  readonly acknowledgedDuring: number;
  /** Every 503 carried Retry-After. */
  readonly retryAfterOn503: boolean;
}

export interface ApiRedisPartitionOutcome extends FaultOutcome {
  readonly phases: readonly PhaseReport[];
  readonly load: Pick<LoadResult, 'unresolved' | 'unexpected'>;
}

export interface BrokerPartitionOutcome extends FaultOutcome {
  /** Per fault: how long the projector took to notice, and how it resumed. */
  readonly faults: ReadonlyArray<{ readonly fault: string; readonly noticedMs: number | null; readonly resumedBy: 'reconnect' | 'restart' }>;
}

const API_FAULTS: ReadonlyArray<{ readonly name: string; readonly mode: FaultMode; readonly serves: boolean }> = [
  { name: 'black hole', mode: { kind: 'drop' }, serves: false },
  { name: 'reset', mode: { kind: 'reset' }, serves: false },
  { name: 'half-open (answers lost)', mode: { kind: 'half-open', stopped: 'toClient' }, serves: false },
  { name: 'half-open (requests lost)', mode: { kind: 'half-open', stopped: 'toService' }, serves: false },
  { name: 'latency 1.5 s (past the command timeout)', mode: { kind: 'latency', latencyMs: 1_500 }, serves: false },
  { name: 'latency 100 ms', mode: { kind: 'latency', latencyMs: 100 }, serves: true },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** (a) The api cut off from Redis, fault by fault; the relay and projector keep their own connections. */
export async function runApiRedisPartition(ctx: FaultContext, { faultMs = 3_000 } = {}): Promise<ApiRedisPartitionOutcome> {
  const proxy = await startTcpProxy(Number(new URL(TEST_REDIS_URL).port));
  const apiEnv = { REDIS_URL: `redis://127.0.0.1:${proxy.port}` };
  try {
    await ctx.stack.kill('api', 'SIGTERM');
    await ctx.stack.restart('api', apiEnv);
    const load = await ctx.load();
    await sleep(1_000);
    const probePlan = load.requests.length > 0 ? await knownPlan(load) : null;
    const phases: PhaseReport[] = [];
    let recoverMs = 0;
    for (const fault of API_FAULTS) {
      const from = load.requests.length;
      const ackedBefore = load.acknowledgedCount();
      proxy.setMode(fault.mode);
      for (const until = Date.now() + faultMs; Date.now() < until; ) {
        // Reads beside the writes: a plan, the listing, a search, readiness.
        await Promise.all([
          probePlan ? load.send('GET', `/v1/plans/${probePlan}`) : Promise.resolve(),
          load.send('GET', '/v1/plans?limit=5'),
          load.send('GET', '/v1/search?planType=inNetwork'),
        ]);
        await sleep(100);
      }
      const during = load.requests.slice(from);
      const acknowledgedDuring = load.acknowledgedCount() - ackedBefore;
      proxy.heal();
      const healed = Date.now();
      const ackedAtHeal = load.acknowledgedCount();
      while (load.acknowledgedCount() === ackedAtHeal && Date.now() - healed < 30_000) await sleep(20);
      recoverMs = Math.max(recoverMs, Date.now() - healed);
      phases.push(report(fault.name, during, acknowledgedDuring));
      await sleep(500);
    }
    const result = await load.stop();
    const lost = await ctx.checkNothingLost(result.acknowledged);
    const projectionsEqual = await ctx.converged();
    const worst = Math.max(...phases.map((phase) => phase.maxMs));
    return {
      acknowledged: result.acknowledged.length,
      lost: lost.length,
      projectionsEqual,
      recoverMs,
      phases,
      load: { unresolved: result.unresolved, unexpected: result.unexpected },
      detail: `${phases.length} faults between the api and Redis; slowest answer ${Math.round(worst)} ms (bound ${API_BOUND_MS} ms); ${result.unresolved} writes unresolved`,
    };
  } finally {
    await ctx.stack.kill('api', 'SIGTERM');
    await proxy.close();
    await ctx.stack.restart('api', {});
  }
}

/**
 * (b) The projector cut off from RabbitMQ (black hole, then half-open, `faultMs` each); the relay
 * keeps publishing. The load stops once it has `minAcknowledged` writes (the row's operations: it
 * goes on past the faults until it has them).
 */
export async function runBrokerPartition(ctx: FaultContext, { faultMs = 10_000, minAcknowledged = 0 } = {}): Promise<BrokerPartitionOutcome> {
  // On the cluster topology the proxy fronts its first node, and the projector knows no other.
  const target = (ctx.stack.env.AMQP_URLS ?? '').split(',').map((url) => url.trim()).find(Boolean) ?? TEST_AMQP_URL;
  const broker = new URL(target);
  const proxy = await startTcpProxy(Number(broker.port || 5672));
  const proxied = new URL(target);
  proxied.port = String(proxy.port);
  proxied.searchParams.set('heartbeat', String(HEARTBEAT_S));
  const projectorEnv = { AMQP_URL: proxied.toString(), AMQP_URLS: proxied.toString(), AMQP_HEARTBEAT_S: String(HEARTBEAT_S) };
  const faults: Array<BrokerPartitionOutcome['faults'][number]> = [];
  let recoverMs = 0;
  try {
    await ctx.stack.kill('projector', 'SIGTERM');
    await ctx.stack.restart('projector', projectorEnv);
    await projectorConsuming(ctx);
    const load = await ctx.load();
    await sleep(1_000);
    const modes: Array<[string, FaultMode]> = [
      ['black hole', { kind: 'drop' }],
      ['half-open (broker to projector lost)', { kind: 'half-open', stopped: 'toClient' }],
    ];
    for (const [name, mode] of modes) {
      const projector = ctx.stack.processes.projector;
      const outputBefore = ctx.stack.output('projector').length;
      const started = Date.now();
      proxy.setMode(mode);
      let noticedMs: number | null = null;
      while (Date.now() - started < faultMs) {
        const said = ctx.stack.output('projector').slice(outputBefore);
        if (noticedMs === null && (projector.exitCode !== null || /heartbeat|connection (closed|lost)|reconnect/i.test(said))) noticedMs = Date.now() - started;
        await sleep(50);
      }
      proxy.heal();
      const healed = Date.now();
      // The projector reconnects by itself, or it exited and its supervisor (here: the row) starts it again.
      const exited = projector.exitCode !== null || projector.signalCode !== null;
      if (exited) await ctx.stack.restart('projector', projectorEnv);
      await projectorConsuming(ctx);
      faults.push({ fault: name, noticedMs, resumedBy: exited ? 'restart' : 'reconnect' });
      recoverMs = Math.max(recoverMs, await untilProjected(ctx, healed));
    }
    for (const until = Date.now() + 120_000; load.acknowledgedCount() < minAcknowledged && Date.now() < until; ) await sleep(100);
    const result = await load.stop();
    const lost = await ctx.checkNothingLost(result.acknowledged);
    const projectionsEqual = await ctx.converged();
    return {
      acknowledged: result.acknowledged.length,
      lost: lost.length,
      projectionsEqual,
      recoverMs,
      faults,
      detail: faults.map((f) => `${f.fault}: noticed after ${f.noticedMs ?? 'never'} ms, resumed by ${f.resumedBy}`).join('; '),
    };
  } finally {
    await ctx.stack.kill('projector', 'SIGTERM');
    await proxy.close();
    await ctx.stack.restart('projector', {});
  }
}

/** Both halves of row 8, for the fault table. */
export async function run(ctx: FaultContext): Promise<FaultOutcome> {
  // (a) needs the stack on one Redis server: a cluster client learns every node's own address
  // from the cluster, past any proxy. On the cluster topology it is said, not run
  // (packages/api/test/networkPartition.e2e.test.ts runs it on one server in npm test).
  const onCluster = (ctx.stack.env.REDIS_CLUSTER_NODES ?? '') !== '';
  const api = onCluster ? null : await runApiRedisPartition(ctx);
  const broker = await runBrokerPartition(ctx, { minAcknowledged: (ctx.ops ?? 0) - (api?.acknowledged ?? 0) });
  const problems = [
    ...(api?.phases ?? []).flatMap((phase) => phase.violations.slice(0, 3).map((v) => `api↔Redis ${phase.fault}: ${v.method} ${v.path} answered ${v.status} after ${Math.round(v.ms)} ms (bound ${API_BOUND_MS} ms)`)),
    ...broker.faults.filter((f) => f.noticedMs === null || f.noticedMs > BROKER_NOTICE_BOUND_MS).map((f) => `projector↔RabbitMQ ${f.fault}: noticed after ${f.noticedMs ?? 'never'} ms (bound ${BROKER_NOTICE_BOUND_MS} ms)`),
  ];
  return {
    acknowledged: (api?.acknowledged ?? 0) + broker.acknowledged,
    lost: (api?.lost ?? 0) + broker.lost,
    projectionsEqual: (api?.projectionsEqual ?? true) && broker.projectionsEqual,
    recoverMs: Math.max(api?.recoverMs ?? 0, broker.recoverMs),
    detail: `${problems.length === 0 ? 'within bounds' : 'BOUND BROKEN'}: ${api?.detail ?? 'api↔Redis not run on a Redis Cluster (its proxy fronts one server; npm test runs it there)'}; ${broker.detail}`,
    ...(problems.length > 0 ? { problems } : {}),
  };
}

function report(fault: string, during: readonly RequestRecord[], acknowledgedDuring: number): PhaseReport {
  const answers: Record<string, number> = {};
  for (const record of during) {
    const key = `${record.status}${record.problemType ? ` ${record.problemType}` : ''}`;
    answers[key] = (answers[key] ?? 0) + 1;
  }
  return {
    fault,
    requests: during.length,
    maxMs: Math.max(0, ...during.map((record) => record.ms)),
    answers,
    violations: during.filter((record) => record.ms > API_BOUND_MS || record.status === 0 || (record.status >= 500 && record.status !== 503)),
    acknowledgedDuring,
    retryAfterOn503: during.every((record) => record.status !== 503 || record.retryAfter !== undefined),
  };
}

/** The objectId of a plan the load created (for read probes). */
async function knownPlan(load: { requests: readonly RequestRecord[] }): Promise<string | null> {
  for (let waited = 0; waited < 5_000; waited += 100) {
    const created = load.requests.find((record) => record.method === 'PATCH' && record.status === 200);
    if (created) return created.path.split('/').pop() ?? null;
    await sleep(100);
  }
  return null;
}

/**
 * Waits until the projector serves its metrics, which it does once its consumers are set up: a
 * fault must meet a projector that is consuming, not one still connecting (a connection attempt
 * into a black hole has no heartbeat yet to notice it with).
 */
async function projectorConsuming(ctx: FaultContext): Promise<void> {
  const url = `http://127.0.0.1:${ctx.stack.env.PROJECTOR_METRICS_PORT}/metrics`;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
  }
  throw new Error(`the projector did not start consuming: ${ctx.stack.output('projector').slice(-2000)}`);
}

/** How long after `since` every projection was caught up again: nothing behind, or nothing older than a second (the load keeps writing). */
async function untilProjected(ctx: FaultContext, since: number): Promise<number> {
  type Lag = Record<string, { entries: number; oldestMs: number }>;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
    const ready = await fetch(`${ctx.stack.baseUrl}/health/ready`).then((r) => r.json() as Promise<{ lag?: Lag }>, () => ({ lag: undefined }));
    if (ready.lag && Object.values(ready.lag).every((entry) => entry.entries === 0 || entry.oldestMs < 1_000)) return Date.now() - since;
  }
  return Date.now() - since;
}
