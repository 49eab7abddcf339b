import { checkedFetch } from '../../contract/checkedFetch.js';
import type { FaultContext, FaultRow } from '../faultRow.js';
import { faultUnderLoad } from '../faultUnderLoad.js';

/** Takes every Elasticsearch node away (the cluster's nodes SIGKILLed, or the one node's proxy cut) and brings it back. */
function outage(ctx: FaultContext): { cut(): Promise<void>; restore(): Promise<void> } {
  const { es, esProxy } = ctx.topology;
  if (es) return { cut: async () => void (await Promise.all(es.ports.map((port) => es.kill(port)))), restore: () => es.start() };
  if (esProxy) return { cut: () => esProxy.cut(), restore: () => esProxy.restore() };
  throw new Error('the stack reaches Elasticsearch neither through the cluster script nor through a proxy');
}

/** While it is away the api keeps acknowledging writes, searches answer 503 problem+json and readiness says down. */
async function answersWhileAway(ctx: FaultContext): Promise<string[]> {
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const problems: string[] = [];
  const [client] = ctx.clients;
  const search = await client?.get('/v1/search?planType=inNetwork');
  if (search?.status !== 503 || !/^application\/problem\+json/.test(search.headers.get('content-type') ?? '')) problems.push(`search answered ${search?.status} ${search?.headers.get('content-type')} without Elasticsearch`);
  const ready = await checkedFetch(`${ctx.stack.baseUrl}/health/ready`);
  if (ready.status !== 503) problems.push(`readiness answered ${ready.status} without Elasticsearch`);
  return problems;
}

export const elasticsearchOutage: FaultRow = {
  id: 7,
  name: 'all of Elasticsearch down',
  run: (ctx) => {
    const { cut, restore } = outage(ctx);
    const problems: string[] = [];
    return faultUnderLoad(ctx, {
      inject: async () => {
        await cut();
        problems.push(...(await answersWhileAway(ctx)));
      },
      holdMs: ctx.durations.esOutageMs,
      remove: restore,
      after: async () => problems,
      what: () => `Elasticsearch away for ${Math.round(ctx.durations.esOutageMs / 1000)} s (${ctx.topology.es ? 'every node SIGKILLed' : 'its proxy cut'})`,
    });
  },
};
