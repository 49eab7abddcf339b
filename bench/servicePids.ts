import type { Client } from '@elastic/elasticsearch';
import type { RedisClient } from '../packages/core/src/adapters/redis/index.js';
import type { Stack } from '../packages/api/test/stackProcesses.js';
import { pidsByCommand, withChildren, type CpuSubject } from './processCpu.js';

/**
 * The processes one write costs CPU in: the shared services (Redis by its own `INFO`,
 * Elasticsearch by its nodes API, RabbitMQ as the machine's `beam.smp`) and the stack's own.
 */
export async function writePathSubjects({ redis, es, stack }: { redis: RedisClient; es: Client; stack: Stack }): Promise<CpuSubject[]> {
  const info = await redis.info('server');
  const redisPid = Number(/process_id:(\d+)/.exec(info)?.[1]);
  const nodes = (await es.nodes.info({ node_id: '_local', metric: 'process' })) as { nodes: Record<string, { process?: { id?: number } }> };
  const esPids = Object.values(nodes.nodes).flatMap((node) => (node.process?.id ? [node.process.id] : []));
  // With their children: the api runs as a primary and its workers.
  const own = (name: 'api' | 'relay' | 'projector') => ({ name, pids: stack.processes[name].pid ? withChildren(stack.processes[name].pid) : [] });
  return [
    { name: 'redis', pids: Number.isFinite(redisPid) ? [redisPid] : [] },
    { name: 'rabbitmq', pids: pidsByCommand('beam.smp') },
    { name: 'elasticsearch', pids: esPids },
    own('api'),
    own('relay'),
    own('projector'),
  ];
}
