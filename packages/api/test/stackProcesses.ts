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
import { connectTestElastic, deleteAliasIndices, TEST_ES_URL } from '../../core/test/elasticTestContext.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TEST_AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const SCRIPTS = {
  idp: 'packages/idp/dist/main.js',
  api: 'packages/api/dist/main.js',
  relay: 'packages/projector/dist/relayMain.js',
  projector: 'packages/projector/dist/projectorMain.js',
} as const;
/** The first relay and projector are `relay` and `projector`; more instances are `relay2`, `projector2`, … */
export type ProcessName = keyof typeof SCRIPTS | `relay${number}` | `projector${number}`;

export interface StackShape {
  /** Relay instances (default 1). */
  readonly relays?: number;
  /** Projector instances (default 1), each with its own metrics port. */
  readonly projectors?: number;
}

export interface Stack {
  readonly baseUrl: string;
  readonly env: Record<string, string>;
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

/**
 * Starts the real processes (topology, api, relays, projectors) from their built entry points,
 * under random key prefixes, broker namespace and index alias so runs never collide.
 */
export async function startStack(extraEnv: Record<string, string> = {}, { relays = 1, projectors = 1, processEnv = {} }: StackShape & StackOptions = {}): Promise<Stack> {
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
    AMQP_URL: TEST_AMQP_URL,
    ES_URL: TEST_ES_URL,
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
    ...extraEnv,
  };
  const names: ProcessName[] = ['idp', 'api', 'relay', 'projector'];
  const instanceEnv = new Map<string, Record<string, string>>();
  for (const [role, count, portVar] of [['relay', relays, 'RELAY_METRICS_PORT'], ['projector', projectors, 'PROJECTOR_METRICS_PORT']] as const) {
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
  const baseUrl = `http://127.0.0.1:${port}`;
  const waitForApi = async () => {
    for (const deadline = Date.now() + 30_000; ; ) {
      const ok = (await isUp(`${baseUrl}/health/live`)) && (await isUp(`${env.OIDC_ISSUER}/.well-known/openid-configuration`));
      if (ok) return;
      if (Date.now() > deadline || processes.api.exitCode !== null) throw new Error(`api did not start: ${outputs.get('api')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await waitForApi();
  return {
    baseUrl,
    env,
    processes,
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
      if (name === 'api') await waitForApi();
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

/** A client of the stack's Redis (one server or the cluster its processes use). */
export function connectStackRedis(env: Record<string, string>): RedisClient {
  return connectRedis({ redisUrl: env.REDIS_URL ?? '', redisClusterNodes: env.REDIS_CLUSTER_NODES ?? '' });
}

async function removeStackData(env: Record<string, string>): Promise<void> {
  const redis = connectStackRedis(env);
  await deleteKeys(redis, env.KEY_PREFIX ?? 'missing');
  redis.disconnect();
  const es = connectTestElastic();
  await deleteAliasIndices(es, env.ES_ALIAS ?? 'missing');
  await es.close();
  const connection = await amqp.connect(env.AMQP_URL ?? '');
  const topology = createBrokerTopology({ namespace: env.AMQP_NAMESPACE ?? '', partitions: Number(env.PARTITIONS), deliveryLimit: 5, projections: PROJECTION_NAMES });
  await deleteTopology(await connection.createChannel(), topology);
  await connection.close();
}

const isUp = (url: string): Promise<boolean> => fetch(url).then((r) => r.ok, () => false);
