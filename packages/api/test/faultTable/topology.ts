import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clusterScript } from '../../../core/test/clusterScripts.js';
import type { TcpProxy } from '../tcpProxy.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** One of the cluster scripts (`scripts/<name>.sh`): its nodes by port, and SIGKILL/restart of one. */
export interface ClusterScript {
  readonly name: 'redis-cluster' | 'rabbitmq-cluster' | 'es-cluster';
  /** The node ports the script runs (data ports: Redis, AMQP, HTTP). */
  readonly ports: readonly number[];
  kill(port: number): Promise<void>;
  restart(port: number): Promise<void>;
  /** Starts every node that is not running and waits until they form one healthy cluster (after all were killed: one restarted alone cannot elect a master). */
  start(): Promise<void>;
}

/** What a fault run has: each cluster script, or null where the run uses the single-node service. */
export interface Topology {
  readonly kind: 'cluster' | 'single';
  readonly redis: ClusterScript | null;
  readonly rabbitmq: ClusterScript | null;
  readonly es: ClusterScript | null;
  /** Without the Elasticsearch cluster: the proxy the stack reaches its one Elasticsearch through, to take it away. */
  readonly esProxy?: TcpProxy | null;
}

/** The cluster topology's settings (common brief): seeds and broker/ES node lists. */
export const CLUSTER_ENV = {
  REDIS_CLUSTER_NODES: '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003',
  AMQP_URLS: 'amqp://guest:guest@127.0.0.1:5701,amqp://guest:guest@127.0.0.1:5702,amqp://guest:guest@127.0.0.1:5703',
  ES_NODES: 'http://127.0.0.1:9201,http://127.0.0.1:9202,http://127.0.0.1:9203',
  ES_REPLICAS: '1',
} as const;

const SCRIPT_PORTS = {
  'redis-cluster': [7001, 7002, 7003, 7004, 7005, 7006],
  'rabbitmq-cluster': [5701, 5702, 5703],
  'es-cluster': [9201, 9202, 9203],
} as const;

function script(name: ClusterScript['name']): ClusterScript {
  return {
    name,
    ports: SCRIPT_PORTS[name],
    kill: async (port) => void (await clusterScript(name, 'kill', String(port))),
    restart: async (port) => void (await clusterScript(name, 'restart', String(port))),
    start: async () => void (await clusterScript(name, 'start')),
  };
}

/**
 * The topology of this run, from the environment: each part of the cluster topology whose setting
 * is set (`REDIS_CLUSTER_NODES`, `AMQP_URLS`, `ES_NODES`) and whose script exists; `FAULT_TOPOLOGY=single`
 * forces today's single-node services.
 */
export function topologyFromEnv(env: Record<string, string | undefined> = process.env): Topology {
  const single = env.FAULT_TOPOLOGY === 'single';
  const part = (setting: keyof typeof CLUSTER_ENV, name: ClusterScript['name']) => (!single && env[setting] && existsSync(`${ROOT}/scripts/${name}.sh`) ? script(name) : null);
  const topology = { redis: part('REDIS_CLUSTER_NODES', 'redis-cluster'), rabbitmq: part('AMQP_URLS', 'rabbitmq-cluster'), es: part('ES_NODES', 'es-cluster') };
  return { kind: topology.redis || topology.rabbitmq || topology.es ? 'cluster' : 'single', ...topology };
}
