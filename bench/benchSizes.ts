/**
 * The sizes of the ratio bench, read once from the environment. `BENCH_SCALE` (default 1) scales
 * every count and duration at once (0.1 for a quick run); each size can also be set on its own.
 */
export interface BenchSizes {
  readonly scale: number;
  /** Connections of the throughput runs (api, XADD, bare Koa). */
  readonly connections: number;
  /** Seconds of each throughput run and of each steady CPU run. */
  readonly seconds: number;
  /** Offered writes per second of the steady CPU runs (end to end, all processes running). */
  readonly cpuRate: number;
  /**
   * Seconds of each measured steady CPU run: long enough to spread Elasticsearch's segment merges,
   * which come in bursts (one in a 10 s window moved CPU per POST by a millisecond), over the writes.
   */
  readonly cpuSeconds: number;
  /** XADDs of the raw durable XADD limit. */
  readonly xadds: number;
  /** One-field PATCHes counted for Elasticsearch documents per PATCH and for Redis bytes per event. */
  readonly patches: number;
  /** Services of the wide plan whose one-field PATCHes are counted in Elasticsearch documents. */
  readonly services: number;
  /** PATCHes of the one-plan burst, and its rate. */
  readonly burstPatches: number;
  readonly burstRate: number;
  /** The rebuild log: this many plans of ~3 versions, plus one plan of `deepVersions` versions. */
  readonly rebuildPlans: number;
  readonly deepVersions: number;
  /** Connections of the time-travel runs. */
  readonly timeTravelConnections: number;
  /** Plans (of 10 versions each) of the asOf search figures, and how many searches each latency figure times. */
  readonly asofPlans: number;
  readonly asofSearches: number;
  /** Plans (of 2 log entries each) in the backlog the projectors catch up on, with 1 and with 2 instances. */
  readonly scalingPlans: number;
}

export function readBenchSizes(env: NodeJS.ProcessEnv): BenchSizes {
  const scale = positive(env.BENCH_SCALE, 1);
  const sized = (name: string, full: number, min: number) => Math.round(positive(env[name], Math.max(min, full * scale)));
  return {
    scale,
    connections: sized('BENCH_CONNECTIONS', 64, 64),
    seconds: sized('BENCH_SECONDS', 10, 3),
    cpuRate: sized('BENCH_CPU_RATE', 500, 500),
    cpuSeconds: sized('BENCH_CPU_SECONDS', 30, 10),
    xadds: sized('BENCH_XADDS', 100_000, 20_000),
    patches: sized('BENCH_PATCHES', 1_000, 100),
    services: sized('BENCH_SERVICES', 100, 100),
    burstPatches: sized('BENCH_BURST_PATCHES', 1_000, 100),
    burstRate: sized('BENCH_BURST_RATE', 100, 100),
    rebuildPlans: sized('BENCH_REBUILD_PLANS', 10_000, 100),
    deepVersions: sized('BENCH_DEEP_VERSIONS', 10_000, 100),
    timeTravelConnections: sized('BENCH_TIME_TRAVEL_CONNECTIONS', 8, 8),
    asofPlans: sized('BENCH_ASOF_PLANS', 10_000, 500),
    asofSearches: sized('BENCH_ASOF_SEARCHES', 300, 100),
    scalingPlans: sized('BENCH_SCALING_PLANS', 10_000, 1_000),
  };
}

function positive(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`expected a positive number, got '${raw}'`);
  return value;
}
