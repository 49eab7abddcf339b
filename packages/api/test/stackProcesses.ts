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
import { createElasticClient } from '@planledger/core/elasticsearch';
import { deleteKeys, randomPrefix, TEST_REDIS_CLUSTER_NODES, TEST_REDIS_URL } from '../../core/test/redisTestContext.js';
import { deleteAliasIndices, TEST_ES_URL } from '../../core/test/elasticTestContext.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TEST_AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const SCRIPTS = {
  idp: 'packages/idp/dist/main.js',
  api: 'packages/api/dist/main.js',
  relay: 'packages/projector/dist/relayMain.js',
  projector: 'packages/projector/dist/projectorMain.js',
} as const;
export type ProcessName = keyof typeof SCRIPTS;

/** How many instances of each scaled-out process a stack runs (one of each by default). */
export interface StackShape {
  readonly apis?: number;
  readonly relays?: number;
  readonly projectors?: number;
}

/** One instance of a process: `api`, `relay`, `projector`, `idp` for the first, `api#2`, `relay#2`, … for the others. */
export type InstanceName = ProcessName | `${ProcessName}#${number}`;

export interface Stack {
  /** The first api's address. */
  readonly baseUrl: string;
  /** Every api instance's address, in instance order. */
  readonly baseUrls: readonly string[];
  readonly env: Record<string, string>;
  /** The first instance of each process (its current child after a restart). */
  readonly processes: Record<ProcessName, ChildProcess>;
  /** Every instance's current child process. */
  readonly instances: ReadonlyMap<InstanceName, ChildProcess>;
  /** The instances of one process, in instance order. */
  instancesOf(name: ProcessName): InstanceName[];
  /** The environment one instance runs with (the stack's plus its own port and consumer name). */
  envOf(name: InstanceName): Record<string, string>;
  /** Output of a process so far, for failure messages. */
  output(name: string): string;
  /** Kills one instance with a signal and waits for it to exit. */
  kill(name: InstanceName, signal: NodeJS.Signals): Promise<void>;
  /** Starts an instance again (after `kill`), with the same environment; an api is waited for until it answers. */
  restart(name: InstanceName): Promise<void>;
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

/** Settings of the cluster topology a stack takes from the environment when they are set there. */
const TOPOLOGY_SETTINGS = ['REDIS_CLUSTER_NODES', 'REDIS_MIN_REPLICA_ACKS', 'REDIS_REPLICA_ACK_TIMEOUT_MS', 'AMQP_URLS', 'AMQP_QUORUM_GROUP_SIZE', 'ES_NODES', 'ES_REPLICAS'] as const;

const firstOf = (list: string | undefined): string | undefined => list?.split(',').map((item) => item.trim()).find(Boolean);

/**
 * Starts the real processes (topology, api, relay, projector) from their built entry points,
 * under random key prefixes, broker namespace and index alias so runs never collide. A shape
 * asks for several api, relay and projector instances (each api on its own port, each relay with
 * its own consumer name, each projector with its own metrics port). Redis, RabbitMQ and
 * Elasticsearch come from `REDIS_URL`, `AMQP_URL`, `ES_URL`, and the cluster topology's
 * `REDIS_CLUSTER_NODES`, `AMQP_URLS`, `ES_NODES`, `ES_REPLICAS` when the environment sets them.
 */
export async function startStack(extraEnv?: Record<string, string>): Promise<Stack>;
export async function startStack(shape: StackShape, extraEnv?: Record<string, string>): Promise<Stack>;
export async function startStack(first: StackShape | Record<string, string> = {}, second: Record<string, string> = {}): Promise<Stack> {
  const isShape = ['apis', 'relays', 'projectors'].some((key) => key in first);
  const shape: StackShape = isShape ? first : {};
  const extraEnv = (isShape ? second : first) as Record<string, string>;
  const idpPort = await freePort();
  const idpDataDir = mkdtempSync(join(tmpdir(), 'planledger-e2e-idp-'));
  const topologyEnv = Object.fromEntries(TOPOLOGY_SETTINGS.flatMap((name) => (process.env[name] ? [[name, process.env[name] ?? '']] : [])));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_CLUSTER_NODES: TEST_REDIS_CLUSTER_NODES,
    AMQP_URL: firstOf(process.env.AMQP_URLS) ?? TEST_AMQP_URL,
    ES_URL: firstOf(process.env.ES_NODES) ?? TEST_ES_URL,
    ...topologyEnv,
    KEY_PREFIX: randomPrefix('e2e'),
    AMQP_NAMESPACE: randomPrefix('planledger-e2e'),
    ES_ALIAS: randomPrefix('plans-e2e'),
    PARTITIONS: '4',
    IDP_PORT: String(idpPort),
    IDP_DATA_DIR: idpDataDir,
    OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
    LOG_LEVEL: 'warn',
    RELAY_CONSUMER: 'relay-e2e',
    ...extraEnv,
  };
  const counts: Record<ProcessName, number> = { idp: 1, api: shape.apis ?? 1, relay: shape.relays ?? 1, projector: shape.projectors ?? 1 };
  const names = (Object.keys(SCRIPTS) as ProcessName[]).flatMap((name) => Array.from({ length: counts[name] }, (_, i): InstanceName => (i === 0 ? name : `${name}#${i + 1}`)));
  // Each instance's own settings: the first keeps the stack's (and what extraEnv says), the others get their own.
  const instanceEnv = new Map<InstanceName, Record<string, string>>();
  for (const name of names) {
    const [kind, number = '1'] = name.split('#') as [ProcessName, string?];
    const own: Record<string, string> = {};
    if (kind === 'api') own.PORT = number === '1' && env.PORT ? env.PORT : String(await freePort());
    if (kind === 'projector') own.PROJECTOR_METRICS_PORT = number === '1' && env.PROJECTOR_METRICS_PORT ? env.PROJECTOR_METRICS_PORT : String(await freePort());
    if (kind === 'relay' && number !== '1') own.RELAY_CONSUMER = `${env.RELAY_CONSUMER}-${number}`;
    instanceEnv.set(name, { ...env, ...own });
  }
  const firstApi = instanceEnv.get('api') ?? {};
  Object.assign(env, { PORT: firstApi.PORT, PROJECTOR_METRICS_PORT: instanceEnv.get('projector')?.PROJECTOR_METRICS_PORT, IDP_CONSOLE_ORIGINS: env.IDP_CONSOLE_ORIGINS ?? `http://127.0.0.1:${firstApi.PORT}` });
  for (const own of instanceEnv.values()) own.IDP_CONSOLE_ORIGINS = env.IDP_CONSOLE_ORIGINS ?? '';
  const outputs = new Map<string, string>();
  const run = (name: string, script: string, childEnv: Record<string, string>): ChildProcess => {
    const child = spawn(process.execPath, [`${ROOT}/${script}`], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    outputs.set(name, '');
    const collect = (chunk: Buffer) => outputs.set(name, (outputs.get(name) ?? '') + chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    return child;
  };
  const kindOf = (name: InstanceName) => name.split('#')[0] as ProcessName;
  const topology = run('topology', 'packages/projector/dist/topologyMain.js', env);
  const [code] = (await once(topology, 'exit')) as [number];
  if (code !== 0) throw new Error(`topology failed: ${outputs.get('topology')}`);
  const instances = new Map<InstanceName, ChildProcess>();
  const launch = (name: InstanceName) => instances.set(name, run(name, SCRIPTS[kindOf(name)], instanceEnv.get(name) ?? env));
  names.forEach(launch);
  const urlOf = (name: InstanceName) => `http://127.0.0.1:${instanceEnv.get(name)?.PORT}`;
  const waitForApi = async (name: InstanceName) => {
    for (const deadline = Date.now() + 30_000; ; ) {
      const ok = (await isUp(`${urlOf(name)}/health/live`)) && (await isUp(`${env.OIDC_ISSUER}/.well-known/openid-configuration`));
      if (ok) return;
      if (Date.now() > deadline || instances.get(name)?.exitCode !== null) throw new Error(`${name} did not start: ${outputs.get(name)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const apis = names.filter((name) => kindOf(name) === 'api');
  await Promise.all(apis.map(waitForApi));
  const processes = Object.fromEntries((Object.keys(SCRIPTS) as ProcessName[]).map((name) => [name, null])) as unknown as Record<ProcessName, ChildProcess>;
  for (const name of Object.keys(SCRIPTS) as ProcessName[]) Object.defineProperty(processes, name, { enumerable: true, get: () => instances.get(name) });
  return {
    baseUrl: urlOf('api'),
    baseUrls: apis.map(urlOf),
    env,
    processes,
    instances,
    instancesOf: (kind) => names.filter((name) => kindOf(name) === kind),
    envOf: (name) => instanceEnv.get(name) ?? env,
    output: (name) => outputs.get(name) ?? '',
    async kill(name, signal) {
      const child = instances.get(name);
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
    async restart(name) {
      launch(name);
      if (kindOf(name) === 'api') await waitForApi(name);
    },
    stop: async () => {
      await Promise.all(
        [...instances.values()].map(async (child) => {
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
  await deleteTopology(await connection.createChannel(), topology);
  await connection.close();
}

/** A connection to the stack's broker: the first of `AMQP_URLS` (else `AMQP_URL`) that answers. */
export async function connectBroker(env: Record<string, string>): Promise<amqp.ChannelModel> {
  const urls = (env.AMQP_URLS ?? env.AMQP_URL ?? TEST_AMQP_URL).split(',').map((url) => url.trim()).filter(Boolean);
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

const isUp = (url: string): Promise<boolean> => fetch(url).then((r) => r.ok, () => false);
