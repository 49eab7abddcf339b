import { createRedisKeys } from '@planledger/core/redis';
import { connectStackElastic, connectStackRedis } from '../../stackProcesses.js';
import type { FaultContext, FaultRow } from '../faultRow.js';
import { faultUnderLoad } from '../faultUnderLoad.js';
import { clusterScript } from '../../../../core/test/clusterScripts.js';
import type { ClusterScript } from '../topology.js';

/**
 * A node of one of the cluster scripts, chosen while the load runs, SIGKILLed; the cluster rides it
 * out, and the node is restarted afterwards. With `recoversByRestart` the fault lasts until the
 * restart and recovery is timed from it: a promoted Redis master has no replica of its own until
 * the killed node rejoins as one, so its slots' writes cannot be confirmed (`WAIT`) before that.
 */
function nodeKillRow(id: number, name: string, part: 'redis' | 'rabbitmq' | 'es', choose: (ctx: FaultContext) => Promise<number>, { fast = false, recoversByRestart = false } = {}): FaultRow {
  return {
    id,
    name,
    fast,
    needs: [part],
    run: (ctx) => {
      const script = ctx.topology[part] as ClusterScript;
      let port = 0;
      return faultUnderLoad(ctx, {
        inject: async () => {
          port = await choose(ctx);
          await script.kill(port);
        },
        ...(recoversByRestart ? { remove: () => script.restart(port) } : { restore: () => script.restart(port) }),
        what: () => `killed ${script.name} node ${port}`,
      });
    },
  };
}

/** The Redis master holding partition 0 of the stack's log. */
async function masterOfFirstPartition(ctx: FaultContext): Promise<number> {
  const redis = connectStackRedis(ctx.stack.env);
  try {
    const keys = createRedisKeys({ prefix: ctx.stack.env.KEY_PREFIX ?? '', partitions: Number(ctx.stack.env.PARTITIONS) });
    const slot = Number(await redis.call('CLUSTER', 'KEYSLOT', keys.log(0)));
    const ranges = (await redis.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, ...unknown[]], ...unknown[]][];
    const range = ranges.find(([from, to]) => from <= slot && slot <= to);
    if (!range) throw new Error(`no master serves slot ${slot}`);
    return Number(range[2][1]);
  } finally {
    redis.disconnect();
  }
}

/** What the first node to answer says (a node killed by an earlier row may still be coming back). */
async function firstAnswer(ports: readonly number[], ask: (port: number) => Promise<string>): Promise<string> {
  let failure: unknown = new Error('no node to ask');
  for (const port of ports) {
    try {
      return await ask(port);
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

/** The RabbitMQ node leading most of the stack's quorum queues. */
async function nodeLeadingMostQueues(ctx: FaultContext): Promise<number> {
  const listing = await firstAnswer(ctx.topology.rabbitmq?.ports ?? [], (port) => clusterScript('rabbitmq-cluster', 'ctl', port, 'list_queues', '-q', '--no-table-headers', 'name', 'leader'));
  const counts = new Map<number, number>();
  for (const line of listing.split('\n')) {
    const [queue, leader] = line.trim().split(/\s+/);
    const node = /^planledger-rabbit(\d)@/.exec(leader ?? '');
    if (!queue?.startsWith(ctx.stack.env.AMQP_NAMESPACE ?? '') || !node) continue;
    const port = 5700 + Number(node[1]);
    counts.set(port, (counts.get(port) ?? 0) + 1);
  }
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (!best) throw new Error(`no queue of ${ctx.stack.env.AMQP_NAMESPACE} has a leader:\n${listing}`);
  return best[0];
}

/** The Elasticsearch node holding most primary shards of the stack's indices. */
export async function nodeHoldingPrimaries(ctx: FaultContext): Promise<number> {
  const es = connectStackElastic(ctx.stack.env);
  try {
    const shards = (await es.cat.shards({ index: `${ctx.stack.env.ES_ALIAS}*`, format: 'json', h: 'prirep,node' })) as unknown as { prirep: string; node: string }[];
    const nodes = (await es.nodes.info({ metric: 'http' })) as unknown as { nodes: Record<string, { name: string; http?: { publish_address?: string } }> };
    const portOf = new Map(Object.values(nodes.nodes).map((node) => [node.name, Number(node.http?.publish_address?.split(':').pop())]));
    const counts = new Map<number, number>();
    for (const shard of shards.filter((s) => s.prirep === 'p')) {
      const port = portOf.get(shard.node);
      if (port) counts.set(port, (counts.get(port) ?? 0) + 1);
    }
    const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    if (!best) throw new Error(`no primary shard of ${ctx.stack.env.ES_ALIAS} found`);
    return best[0];
  } finally {
    await es.close();
  }
}

export const redisMasterKill = nodeKillRow(1, 'SIGKILL of a Redis master (its replica promoted)', 'redis', masterOfFirstPartition, { fast: true, recoversByRestart: true });
export const rabbitNodeKill = nodeKillRow(5, 'SIGKILL of the RabbitMQ node leading most queues', 'rabbitmq', nodeLeadingMostQueues);
export const esNodeKill = nodeKillRow(6, 'SIGKILL of the Elasticsearch node holding most primaries', 'es', nodeHoldingPrimaries);
