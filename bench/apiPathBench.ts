/**
 * The api's own cost, beside its physical limits, measured in one run: durable POST, one-field
 * PATCH and GET by id on the api alone (identity provider running, no relay, no projector), next
 * to a raw durable `XADD` of the same event bytes on the same Redis and a bare Koa handler
 * returning the same plan bytes, all at the same number of connections. Prints req/s and ratios;
 * asserts nothing. Run: `npx tsx bench/apiPathBench.ts` (BENCH_SECONDS, BENCH_CONNECTIONS,
 * BENCH_API_PORT, BENCH_IDP_PORT, REDIS_URL; API_NODE_ARGS e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 *
 * Every measuring function is exported, so the full bench table can reuse them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { fetchToken } from '@planledger/idp';
import { aPlan } from '../packages/core/test/planMother.js';
import { deleteKeys, randomPrefix } from '../packages/core/test/redisTestContext.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6380';

export interface Rate {
  readonly name: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
  /** CPU milliseconds the measured process spent per request, when known. */
  readonly cpuMsPerRequest?: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly seconds: number;
}

/** autocannon over `options`, as one figure; with `cpuMs` (a process's CPU clock), also its CPU per request. */
export async function measureHttp(name: string, options: autocannon.Options & LoadOptions & { cpuMs?: () => number }): Promise<Rate> {
  const { connections, seconds, cpuMs, ...rest } = options;
  const cpuBefore = cpuMs?.();
  const result = await autocannon({ ...rest, connections, duration: seconds });
  const cpu = cpuMs && cpuBefore !== undefined ? cpuMs() - cpuBefore : undefined;
  return {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    ...(cpu !== undefined && result.requests.total > 0 ? { cpuMsPerRequest: cpu / result.requests.total } : {}),
  };
}

/** User plus system CPU milliseconds a process has used so far (Linux `/proc`). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // After "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based), in clock ticks (100 Hz on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export interface ApiOnly {
  readonly baseUrl: string;
  readonly issuer: string;
  readonly keyPrefix: string;
  /** A token of the dev writer (plans:read plans:write). */
  readonly authorization: string;
  /** CPU milliseconds the api process has used so far. */
  cpuMs(): number;
  /** Stops the processes (SIGINT, so `--cpu-prof` writes its profile) and deletes the keys they wrote. */
  stop(): Promise<void>;
}

export interface ApiOnlyOptions {
  readonly apiPort?: number;
  readonly idpPort?: number;
  readonly redisUrl?: string;
  /** Extra node flags for the api process (e.g. `--cpu-prof`). */
  readonly apiNodeArgs?: readonly string[];
  /** Extra environment for the api process (e.g. `REDIS_COALESCE_WRITES`). */
  readonly apiEnv?: Readonly<Record<string, string>>;
}

/** The identity provider and the api, from their built entry points, on the given Redis under a random key prefix. */
export async function startApiOnly({ apiPort = 3100, idpPort = 4100, redisUrl = REDIS_URL, apiNodeArgs = [], apiEnv = {} }: ApiOnlyOptions = {}): Promise<ApiOnly> {
  const keyPrefix = randomPrefix('hotpath');
  const idpDataDir = mkdtempSync(join(tmpdir(), 'planledger-bench-idp-'));
  const issuer = `http://127.0.0.1:${idpPort}`;
  const env = { PATH: process.env.PATH ?? '', REDIS_URL: redisUrl, KEY_PREFIX: keyPrefix, PORT: String(apiPort), IDP_PORT: String(idpPort), IDP_DATA_DIR: idpDataDir, OIDC_ISSUER: issuer, LOG_LEVEL: 'error' };
  const run = (script: string, args: readonly string[] = [], extra: Readonly<Record<string, string>> = {}): ChildProcess =>
    spawn(process.execPath, [...args, join(ROOT, script)], { env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'inherit'] });
  const idp = run('packages/idp/dist/main.js');
  const api = run('packages/api/dist/main.js', apiNodeArgs, apiEnv);
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  await waitFor(`${issuer}/.well-known/openid-configuration`);
  await waitFor(`${baseUrl}/health/live`);
  const authorization = `Bearer ${await fetchToken({ issuer, clientId: 'dev-writer', clientSecret: 'dev-writer-secret' })}`;
  return {
    baseUrl,
    issuer,
    keyPrefix,
    authorization,
    cpuMs: () => processCpuMs(api.pid ?? 0),
    async stop() {
      await Promise.all([idp, api].map((child) => stopChild(child)));
      rmSync(idpDataDir, { recursive: true, force: true });
      const redis = new Redis(redisUrl);
      await deleteKeys(redis, keyPrefix);
      redis.disconnect();
    },
  };
}

export interface ApiPathFigures {
  readonly post: Rate;
  readonly patch: Rate;
  readonly get: Rate;
  /** A plan as the bench posts it, for the limits to serve the same bytes. */
  readonly plan: string;
}

/** Durable POST of fresh plans, one-field JSON Patch (`If-Match: *`) and GET by id, against `baseUrl`. */
export async function measureApiPaths({ baseUrl, authorization, connections, seconds, seedPlans = 256, cpuMs }: { baseUrl: string; authorization: string; seedPlans?: number; cpuMs?: () => number } & LoadOptions): Promise<ApiPathFigures> {
  const json = { authorization, 'content-type': 'application/json' };
  const seed = Array.from({ length: seedPlans }, () => aPlan());
  for (const plan of seed) {
    const response = await fetch(`${baseUrl}/v1/plans`, { method: 'POST', headers: json, body: JSON.stringify(plan) });
    if (response.status !== 201) throw new Error(`seeding a plan answered ${response.status}: ${await response.text()}`);
  }
  let next = 0;
  const post = await measureHttp('POST /v1/plans', {
    url: `${baseUrl}/v1/plans`,
    method: 'POST',
    headers: json,
    connections,
    seconds,
    ...(cpuMs ? { cpuMs } : {}),
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(aPlan({ id: `bench-${randomUUID()}` })) }) }],
  });
  const patch = await measureHttp('PATCH /v1/plans/:id (one field)', {
    url: baseUrl,
    method: 'PATCH',
    headers: { authorization, 'content-type': 'application/json-patch+json', 'if-match': '*' },
    connections,
    seconds,
    ...(cpuMs ? { cpuMs } : {}),
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          path: `/v1/plans/${seed[next++ % seed.length]!.objectId}`,
          body: JSON.stringify([{ op: 'replace', path: '/planCostShares/copay', value: next % 100_000 }]),
        }),
      },
    ],
  });
  const get = await measureHttp('GET /v1/plans/:id', {
    url: baseUrl,
    headers: { authorization },
    connections,
    seconds,
    ...(cpuMs ? { cpuMs } : {}),
    requests: [{ setupRequest: (request) => ({ ...request, path: `/v1/plans/${seed[next++ % seed.length]!.objectId}` }) }],
  });
  return { post, patch, get, plan: JSON.stringify(seed[0]) };
}

/** Event JSON shaped as the api appends it: a create carrying the whole plan, and a one-field patch. */
export function sampleEvents(plan: string): { created: string; patched: string } {
  const document = JSON.parse(plan) as { objectId: string; _org: string };
  const common = { planId: document.objectId, actor: 'dev-writer', org: document._org, at: new Date().toISOString(), requestId: randomUUID(), schemaVersion: 1 };
  return {
    created: JSON.stringify({ ...common, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: document }] }),
    patched: JSON.stringify({ ...common, version: 2, type: 'patched', patch: [{ op: 'replace', path: '/planCostShares/copay', value: 12345 }] }),
  };
}

/**
 * Raw durable `XADD` of `eventJson` on `redisUrl` from `connections` clients, one command in
 * flight each: redis-benchmark (C, so the client costs next to nothing) when installed, else
 * ioredis. The Redis's own durability (AOF appendfsync always) applies, as for the api's appends.
 */
export async function measureRawXadd({ redisUrl = REDIS_URL, eventJson, connections, seconds, name = 'raw durable XADD' }: { redisUrl?: string; eventJson: string; name?: string } & LoadOptions): Promise<Rate> {
  const url = new URL(redisUrl);
  const stream = `${randomPrefix('hotpath-xadd')}:stream`;
  const redis = new Redis(redisUrl);
  try {
    const probe = spawnSync('redis-benchmark', ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) {
      // Size the run to last about `seconds`, from a short probe.
      const rate = xaddWithBenchmark(url, stream, eventJson, connections, connections * 200).rps;
      return { ...xaddWithBenchmark(url, stream, eventJson, connections, Math.max(connections * 100, Math.round(rate * seconds))), name };
    }
    return { ...(await xaddWithIoredis(redisUrl, stream, eventJson, connections, seconds)), name };
  } finally {
    await redis.del(stream);
    redis.disconnect();
  }
}

function xaddWithBenchmark(url: URL, stream: string, eventJson: string, connections: number, requests: number): Rate {
  const args = ['-h', url.hostname, '-p', url.port || '6379', '-c', String(connections), '-n', String(requests), '--csv', 'XADD', stream, '*', 'event', eventJson];
  const result = spawnSync('redis-benchmark', args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`redis-benchmark failed: ${result.stderr}`);
  // CSV: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  // The first cell quotes the command, commas of the JSON included: read the numbers from the end.
  const cells = line.split(',').slice(-7).map((cell) => Number(cell.replace(/"/g, '')));
  const [rps, , , p50, , p99] = cells;
  if (rps === undefined || !Number.isFinite(rps)) throw new Error(`redis-benchmark printed no rate: ${line}`);
  return { name: 'XADD', rps: Math.round(rps), p50: p50 ?? 0, p99: p99 ?? 0, errors: 0, non2xx: 0 };
}

async function xaddWithIoredis(redisUrl: string, stream: string, eventJson: string, connections: number, seconds: number): Promise<Rate> {
  const clients = Array.from({ length: connections }, () => new Redis(redisUrl));
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (Date.now() < deadline) {
        await client.xadd(stream, '*', 'event', eventJson);
        done += 1;
      }
    }),
  );
  clients.forEach((client) => client.disconnect());
  return { name: 'XADD', rps: Math.round(done / seconds), p50: 0, p99: 0, errors: 0, non2xx: 0 };
}

/** A bare Koa handler returning `body` as application/json, in its own process (as the api is), on `port`. */
export async function measureBareKoa({ body, port = 3199, connections, seconds }: { body: string; port?: number } & LoadOptions): Promise<Rate> {
  const dir = mkdtempSync(join(tmpdir(), 'planledger-bare-koa-'));
  const file = join(dir, 'body.json');
  writeFileSync(file, body);
  const server = spawn(process.execPath, [join(ROOT, 'bench/bareKoaServer.mjs')], { env: { PATH: process.env.PATH ?? '', PORT: String(port), BODY_FILE: file }, stdio: ['ignore', 'ignore', 'inherit'], cwd: ROOT });
  try {
    await waitFor(`http://127.0.0.1:${port}/`);
    return await measureHttp('bare Koa, same bytes', { url: `http://127.0.0.1:${port}/v1/plans/x`, connections, seconds });
  } finally {
    await stopChild(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitFor(url: string): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within 30 s`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

const percent = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '—');

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const load: LoadOptions = { connections: Number(process.env.BENCH_CONNECTIONS ?? 64), seconds: Number(process.env.BENCH_SECONDS ?? 8) };
  const apiNodeArgs = (process.env.API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const coalesce = process.env.REDIS_COALESCE_WRITES ?? 'false';
  const api = await startApiOnly({ apiPort: Number(process.env.BENCH_API_PORT ?? 3100), idpPort: Number(process.env.BENCH_IDP_PORT ?? 4100), apiNodeArgs, apiEnv: { REDIS_COALESCE_WRITES: coalesce } });
  let figures: ApiPathFigures;
  try {
    figures = await measureApiPaths({ ...api, ...load });
  } finally {
    await api.stop();
  }
  const events = sampleEvents(figures.plan);
  const xaddCreated = await measureRawXadd({ eventJson: events.created, name: `raw durable XADD (${events.created.length} B create event)`, ...load });
  const xaddPatched = await measureRawXadd({ eventJson: events.patched, name: `raw durable XADD (${events.patched.length} B patch event)`, ...load });
  const koa = await measureBareKoa({ body: figures.plan, port: Number(process.env.BENCH_KOA_PORT ?? 3199), ...load });
  const rows = [
    { figure: figures.post, limit: xaddCreated, target: '≥ 25%' },
    { figure: figures.patch, limit: xaddPatched, target: '≥ 25%' },
    { figure: figures.get, limit: koa, target: '≥ 35%' },
  ];
  console.log(`\napi only, ${load.connections} connections, ${load.seconds} s each (Redis AOF appendfsync always; ${figures.plan.length} B plan; REDIS_COALESCE_WRITES=${coalesce})`);
  console.table(
    rows.map(({ figure, limit, target }) => ({
      figure: figure.name,
      'req/s': figure.rps,
      'p99 ms': figure.p99,
      'errors/non-2xx': `${figure.errors}/${figure.non2xx}`,
      'api CPU ms/req': figure.cpuMsPerRequest?.toFixed(3) ?? '—',
      limit: limit.name,
      'limit/s': limit.rps,
      ratio: percent(figure.rps, limit.rps),
      target,
    })),
  );
}
