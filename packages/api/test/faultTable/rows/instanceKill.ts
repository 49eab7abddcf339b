import { createRedisKeys, RedisEventLog } from '@planledger/core/redis';
import { connectStackRedis, type ScaledProcess } from '../../stackProcesses.js';
import type { AckedWrite, FaultContext, FaultRow } from '../faultRow.js';
import { faultUnderLoad } from '../faultUnderLoad.js';

/**
 * SIGKILL of one instance of a process under load. With a second instance running the stack must
 * ride it out (the other api answers, the other relay takes the partition leases, the other
 * projector becomes the queues' single active consumer) and the killed one is restarted
 * afterwards; with only one, it is restarted and recovery is timed from the restart.
 */
export function instanceKillRow(id: number, kind: ScaledProcess, fast: boolean): FaultRow {
  return {
    id,
    name: `SIGKILL of ${kind === 'api' ? 'the api' : `a ${kind}`}`,
    fast,
    run: (ctx) => {
      const [victim] = ctx.stack.instancesOf(kind);
      if (!victim) throw new Error(`the stack runs no ${kind}`);
      const restart = () => ctx.stack.restart(victim);
      const survivors = ctx.stack.instancesOf(kind).length - 1;
      return faultUnderLoad(ctx, {
        inject: () => ctx.stack.kill(victim, 'SIGKILL'),
        ...(survivors > 0 ? { restore: restart } : { remove: restart }),
        what: () => `killed ${victim} (${survivors} other ${kind} instance${survivors === 1 ? '' : 's'} running)`,
        ...(kind === 'api' ? { after: (acked: readonly AckedWrite[]) => readsLastWrites(ctx, acked) } : {}),
      });
    },
  };
}

/**
 * Every plan read through every api (the restarted one too) answers what the log's head says —
 * its version, or 410 once deleted (a delete the api died answering may have landed) — and never
 * less than the last version acknowledged.
 */
async function readsLastWrites(ctx: FaultContext, acked: readonly AckedWrite[]): Promise<string[]> {
  const last = new Map<string, AckedWrite>();
  for (const ack of acked) if ((last.get(ack.planId)?.version ?? 0) < ack.version) last.set(ack.planId, ack);
  const redis = connectStackRedis(ctx.stack.env);
  const log = new RedisEventLog(redis, createRedisKeys({ prefix: ctx.stack.env.KEY_PREFIX ?? '', partitions: Number(ctx.stack.env.PARTITIONS) }));
  const problems: string[] = [];
  try {
    for (const ack of last.values()) {
      const head = await log.head(ack);
      for (const client of ctx.clients) {
        const read = await client.get(`/v1/plans/${ack.planId}`);
        const version = Number(read.headers.get('x-plan-version') ?? 0);
        const fine = head !== null && head.version >= ack.version && (head.document === null ? read.status === 410 : read.status === 200 && version === head.version);
        if (!fine && problems.length < 5) problems.push(`GET ${ack.planId} answered ${read.status} v${version}; the log's head is at v${head?.version}${head?.document === null ? ' (deleted)' : ''}, v${ack.version} (${ack.change}) was acknowledged`);
      }
    }
  } finally {
    redis.disconnect();
  }
  return problems;
}
