import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { connectRedis, type RedisClient } from '@planledger/core/redis';
import { PROJECTION_NAMES } from '@planledger/projector/projections';
import { createBrokerTopology, deleteTopology } from '@planledger/core/rabbitmq';
import { deleteKeys, randomPrefix, TEST_REDIS_CLUSTER_NODES, TEST_REDIS_URL } from '../../core/test/redisTestContext.js';
import { createElasticClient } from '@planledger/core/elasticsearch';
import { deleteAliasIndices, TEST_ES_URL } from '../../core/test/elasticTestContext.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TEST_AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const SCRIPTS = {
  idp: 'packages/idp/dist/main.js',
  api: 'packages/api/dist/main.js',
  relay: 'packages/projector/dist/relayMain.js',
  projector: 'packages/projector/dist/projectorMain.js',
} as const;
/** The first api, relay and projector are `api`, `relay` and `projector`; more instances are `api2`, `relay2`, `projector2`, … */
export type ProcessName = keyof typeof SCRIPTS | `api${number}` | `relay${number}` | `projector${number}`;
/** The processes a stack may run several instances of. */
export type ScaledProcess = 'api' | 'relay' | 'projector';

export interface StackShape {
  /** Api instances (default 1), each on its own port. */
  readonly apis?: number;
  /** Relay instances (default 1). */
  readonly relays?: number;
  /** Projector instances (default 1), each with its own metrics port. */
  readonly projectors?: number;
}

export interface Stack {
  /** The first api's address. */
  readonly baseUrl: string;
  /** Every api instance's address, in instance order. */
  readonly baseUrls: readonly string[];
  readonly env: Record<string, string>;
  /** The instances of one process, in instance order (`relay`, `relay2`, …). */
  instancesOf(kind: ScaledProcess): ProcessName[];
  readonly processes: Record<ProcessName, ChildProcess>;
  /** The environment one process runs with (the stack's, plus its own metrics port). */
  envOf(name: ProcessName): Record<string, string>;
  /** Output of a process so far, for failure messages. */
  output(name: string): string;
  /** Kills one process with a signal and waits for it to exit. */
  kill(name: ProcessName, signal: NodeJS.Signals): Promise<void>;
  /** Starts a process again (after `kill`), with the same environment, or with `processEnv` instead of its own additions. */
  restart(name: ProcessName, processEnv?: Record<string, string>): Promise<void>;
  /** Stops every process and removes what the stack made (keys, broker topology, index). */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

export interface StackOptions {
  /** Environment of one process only, over the stack's (e.g. the api's REDIS_URL through a fault proxy). */
  readonly processEnv?: Partial<Record<ProcessName, Record<string, string>>>;
}

/** Settings of the cluster topology a stack takes from the environment when they are set there. */
const TOPOLOGY_SETTINGS = ['REDIS_CLUSTER_NODES', 'REDIS_MIN_REPLICA_ACKS', 'REDIS_REPLICA_ACK_TIMEOUT_MS', 'AMQP_URLS', 'AMQP_QUORUM_GROUP_SIZE', 'ES_NODES', 'ES_REPLICAS'] as const;

const firstOf = (list: string | undefined): string | undefined => list?.split(',').map((item) => item.trim()).find(Boolean);

/**
 * Starts the real processes (topology, apis, relays, projectors) from their built entry points,
 * under random key prefixes, broker namespace and index alias so runs never collide. Redis,
 * RabbitMQ and Elasticsearch come from `REDIS_URL`, `AMQP_URL`, `ES_URL`, and the cluster
 * topology's `REDIS_CLUSTER_NODES`, `AMQP_URLS`, `ES_NODES`, `ES_REPLICAS` when the environment
 * sets them.
 */
export async function startStack(extraEnv: Record<string, string> = {}, { apis = 1, relays = 1, projectors = 1, processEnv = {} }: StackShape & StackOptions = {}): Promise<Stack> {
  const ownEnv: Partial<Record<string, Record<string, string>>> = { ...processEnv };
  const port = await freePort();
  const idpPort = await freePort();
  const projectorMetricsPort = await freePort();
  const relayMetricsPort = await freePort();
  const idpDataDir = mkdtempSync(join(tmpdir(), 'planledger-e2e-idp-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_CLUSTER_NODES: TEST_REDIS_CLUSTER_NODES,
    AMQP_URL: firstOf(process.env.AMQP_URLS) ?? TEST_AMQP_URL,
    ES_URL: firstOf(process.env.ES_NODES) ?? TEST_ES_URL,
    ...Object.fromEntries(TOPOLOGY_SETTINGS.flatMap((name) => (process.env[name] ? [[name, process.env[name] ?? '']] : []))),
    KEY_PREFIX: randomPrefix('e2e'),
    AMQP_NAMESPACE: randomPrefix('planledger-e2e'),
    ES_ALIAS: randomPrefix('plans-e2e'),
    PARTITIONS: '4',
    PORT: String(port),
    IDP_PORT: String(idpPort),
    PROJECTOR_METRICS_PORT: String(projectorMetricsPort),
    RELAY_METRICS_PORT: String(relayMetricsPort),
    IDP_DATA_DIR: idpDataDir,
    OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
    IDP_CONSOLE_ORIGINS: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    RELAY_CONSUMER: 'relay-e2e',
    // One process per api instance (no worker pool) unless a test asks for one.
    API_WORKERS: '1',
    ...extraEnv,
  };
  const names: ProcessName[] = ['idp', 'api', 'relay', 'projector'];
  const instanceEnv = new Map<string, Record<string, string>>();
  for (const [role, count, portVar] of [['api', apis, 'PORT'], ['relay', relays, 'RELAY_METRICS_PORT'], ['projector', projectors, 'PROJECTOR_METRICS_PORT']] as const) {
    for (let i = 2; i <= count; i += 1) {
      const name: ProcessName = `${role}${i}`;
      names.push(name);
      instanceEnv.set(name, { ...env, [portVar]: String(await freePort()) });
    }
  }
  const envOf = (name: ProcessName): Record<string, string> => ({ ...(instanceEnv.get(name) ?? env), ...ownEnv[name] });
  const scriptOf = (name: ProcessName): string => SCRIPTS[name.replace(/\d+$/, '') as keyof typeof SCRIPTS];
  const outputs = new Map<string, string>();
  const run = (name: string, script: string, processEnvironment: Record<string, string> = env): ChildProcess => {
    const child = spawn(process.execPath, [`${ROOT}/${script}`], { env: processEnvironment, stdio: ['ignore', 'pipe', 'pipe'] });
    // A restarted process's output follows its earlier run's.
    outputs.set(name, outputs.get(name) ?? '');
    const collect = (chunk: Buffer) => outputs.set(name, (outputs.get(name) ?? '') + chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    return child;
  };
  const topology = run('topology', 'packages/projector/dist/topologyMain.js');
  const [code] = (await once(topology, 'exit')) as [number];
  if (code !== 0) throw new Error(`topology failed: ${outputs.get('topology')}`);
  const processes = Object.fromEntries(names.map((name) => [name, run(name, scriptOf(name), envOf(name))])) as Record<ProcessName, ChildProcess>;
  const instancesOf = (kind: ScaledProcess) => names.filter((name) => name.replace(/\d+$/, '') === kind);
  const urlOf = (name: ProcessName) => `http://127.0.0.1:${envOf(name).PORT}`;
  const waitForApi = async (name: ProcessName) => {
    for (const deadline = Date.now() + 30_000; ; ) {
      const ok = (await isUp(`${urlOf(name)}/health/live`)) && (await isUp(`${env.OIDC_ISSUER}/.well-known/openid-configuration`));
      if (ok) return;
      if (Date.now() > deadline || processes[name]?.exitCode !== null) throw new Error(`${name} did not start: ${outputs.get(name)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await Promise.all(instancesOf('api').map(waitForApi));
  return {
    baseUrl: urlOf('api'),
    baseUrls: instancesOf('api').map(urlOf),
    env,
    processes,
    instancesOf,
    envOf,
    output: (name) => outputs.get(name) ?? '',
    async kill(name, signal) {
      const child = processes[name];
      if (!child) throw new Error(`the stack has no process ${name}`);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
    async restart(name, changedEnv) {
      if (changedEnv) ownEnv[name] = changedEnv;
      processes[name] = run(name, scriptOf(name), envOf(name));
      if (/^api\d*$/.test(name)) await waitForApi(name);
    },
    stop: async () => {
      await Promise.all(
        Object.values(processes).map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await once(child, 'exit');
          clearTimeout(timer);
        }),
      );
      rmSync(idpDataDir, { recursive: true, force: true });
      await removeStackData(env);
    },
  };
}

/** A client of the stack's Elasticsearch: every node of `ES_NODES`, else `ES_URL`. */
export function connectStackElastic(env: Record<string, string>, requestTimeoutMs?: number) {
  const nodes = (env.ES_NODES || env.ES_URL || TEST_ES_URL).split(',').map((node) => node.trim()).filter(Boolean);
  return createElasticClient({ nodes, ...(requestTimeoutMs ? { requestTimeoutMs } : {}) });
}

/** A connection to the stack's broker: the first of `AMQP_URLS` (else `AMQP_URL`) that answers. */
export async function connectBroker(env: Record<string, string>): Promise<amqp.ChannelModel> {
  const urls = (env.AMQP_URLS || env.AMQP_URL || TEST_AMQP_URL).split(',').map((url) => url.trim()).filter(Boolean);
  let failure: unknown;
  for (const url of urls) {
    try {
      return await amqp.connect(url);
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

/** Runs one of the projector package's CLIs (`replayMain.js`, …) with a stack's environment; stdout and stderr piped (so not a TTY). */
export function runCli(env: Record<string, string>, script: string, ...args: string[]): { child: ChildProcess; done: Promise<{ code: number; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [`${ROOT}/packages/projector/dist/${script}`, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = once(child, 'exit').then(([code]) => ({ code: code as number, stdout, stderr }));
  return { child, done };
}

/** A client of the stack's Redis (one server or the cluster its processes use). */
export function connectStackRedis(env: Record<string, string>): RedisClient {
  return connectRedis({ redisUrl: env.REDIS_URL ?? '', redisClusterNodes: env.REDIS_CLUSTER_NODES ?? '' });
}

async function removeStackData(env: Record<string, string>): Promise<void> {
  const redis = connectStackRedis(env);
  await deleteKeys(redis, env.KEY_PREFIX ?? 'missing');
  redis.disconnect();
  const es = connectStackElastic(env);
  await deleteAliasIndices(es, env.ES_ALIAS ?? 'missing');
  await es.close();
  const connection = await connectBroker(env);
  const topology = createBrokerTopology({ namespace: env.AMQP_NAMESPACE ?? '', partitions: Number(env.PARTITIONS), deliveryLimit: 5, projections: PROJECTION_NAMES });
  await deleteTopology(connection, topology);
  await connection.close();
}

const isUp = (url: string): Promise<boolean> => fetch(url).then((r) => r.ok, () => false);
