import { runCli } from '../../stackProcesses.js';
import type { FaultRow } from '../faultRow.js';
import { faultUnderLoad } from '../faultUnderLoad.js';
import { nodeHoldingPrimaries } from './nodeKill.js';

/**
 * A search rebuild (`replay --projection search --verify`) started under load, and while it runs
 * a relay is SIGKILLed (row 3) and, on the Elasticsearch cluster, the node holding most primaries
 * (row 6); the replay must finish, verify equal, and the live projections converge too.
 */
export const replayDuringFaults: FaultRow = {
  id: 9,
  name: 'a replay running during faults 3 and 6',
  run: (ctx) => {
    const [relay] = ctx.stack.instancesOf('relay');
    if (!relay) throw new Error('the stack runs no relay');
    const es = ctx.topology.es;
    let esPort = 0;
    let replay: ReturnType<typeof runCli> | null = null;
    return faultUnderLoad(ctx, {
      inject: async () => {
        replay = runCli(ctx.stack.env, 'replayMain.js', '--projection', 'search', '--verify');
        await new Promise((resolve) => setTimeout(resolve, 300));
        await ctx.stack.kill(relay, 'SIGKILL');
        if (es) {
          esPort = await nodeHoldingPrimaries(ctx);
          await es.kill(esPort);
        }
      },
      restore: async () => {
        await ctx.stack.restart(relay);
        if (es) await es.restart(esPort);
      },
      during: async () => {
        const ended = await replay?.done;
        if (ended?.code === 0) return [];
        const lines = `${ended?.stdout ?? ''}${ended?.stderr ?? ''}`.split('\n');
        const said = lines.filter((line) => /^(replay|verify)\b|^\s+(missing|extra|staleVersion|differentContent):/.test(line)).slice(0, 12);
        return [`replay exited ${ended?.code}: ${said.join(' / ')}`];
      },
      what: () => `replay of search with ${relay} SIGKILLed${es ? ` and Elasticsearch node ${esPort}` : ''} (Elasticsearch node kill needs the cluster)`,
    });
  },
};
