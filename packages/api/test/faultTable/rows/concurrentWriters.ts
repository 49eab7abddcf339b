import { createRedisKeys, RedisEventLog } from '@planledger/core/redis';
import { aPlan } from '../../../../core/test/planMother.js';
import { connectStackRedis } from '../../stackProcesses.js';
import type { AckedWrite, FaultRow } from '../faultRow.js';

const CONTENDERS = 10;

/**
 * Ten clients, spread over the api instances, writing one plan at once: each reads the plan's
 * version and PATCHes with If-Match on it. Every version is won by exactly one of them (200), the
 * others get 412; the plan's history in the log has every version once, none missing, each the
 * winner's patch, and nothing that was not answered 200.
 */
export const concurrentWriters: FaultRow = {
  id: 13,
  name: `one plan written by ${CONTENDERS} clients at once across the api instances`,
  fast: true,
  async run(ctx) {
    const plan = aPlan();
    const [first] = ctx.clients;
    if (!first) throw new Error('no api client');
    const created = await first.post('/v1/plans', plan);
    if (created.status !== 201) throw new Error(`create answered ${created.status}`);
    const wins: AckedWrite[] = [{ org: plan._org, planId: plan.objectId, version: 1, etag: created.headers.get('etag'), change: 'created', sent: plan, at: Date.now(), token: null }];
    const problems: string[] = [];
    let conflicts = 0;
    const path = `/v1/plans/${plan.objectId}`;
    const contender = async (n: number) => {
      const client = ctx.clients[n % ctx.clients.length] ?? first;
      for (let attempt = 0; wins.length <= ctx.ops && problems.length === 0; attempt += 1) {
        const read = await client.request('GET', path, { unchecked: true });
        const version = Number(read.headers.get('x-plan-version'));
        const patch = [{ op: 'replace', path: '/planCostShares/copay', value: n * 1_000_000 + attempt }];
        const written = await client.request('PATCH', path, { body: patch, type: 'application/json-patch+json', headers: { 'if-match': `"v${version}"` }, unchecked: true });
        if (written.status === 200) wins.push({ org: plan._org, planId: plan.objectId, version: Number(written.headers.get('x-plan-version')), etag: written.headers.get('etag'), change: 'patched', sent: patch, at: Date.now(), token: written.headers.get('x-consistency-token') });
        else if (written.status === 412 && /^application\/problem\+json/.test(written.headers.get('content-type') ?? '')) conflicts += 1;
        else problems.push(`PATCH If-Match "v${version}" answered ${written.status} ${JSON.stringify(written.body)}`);
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: CONTENDERS }, (_, n) => contender(n)));
    const seconds = (Date.now() - started) / 1000;
    const versions = wins.map((win) => win.version).sort((a, b) => a - b);
    if (versions.some((version, i) => version !== i + 1)) problems.push(`the winners' versions are not 1..${versions.length} once each: ${versions.slice(0, 20).join(',')}…`);
    const redis = connectStackRedis(ctx.stack.env);
    const history = await new RedisEventLog(redis, createRedisKeys({ prefix: ctx.stack.env.KEY_PREFIX ?? '', partitions: Number(ctx.stack.env.PARTITIONS) })).events({ org: plan._org, planId: plan.objectId });
    redis.disconnect();
    if (history.some((event, i) => event.version !== i + 1)) problems.push('the plan\'s history has a gap or a repeat');
    if (history.length !== wins.length) problems.push(`the history has ${history.length} versions for ${wins.length} writes answered 2xx`);
    const lost = await ctx.checkNothingLost(wins);
    const lostNotes = [...ctx.notes];
    const projectionsEqual = await ctx.converged();
    return {
      acknowledged: wins.length,
      lost,
      projectionsEqual,
      recoverMs: Number.NaN,
      detail: [`${wins.length} wins and ${conflicts} 412s in ${seconds.toFixed(1)} s over ${ctx.clients.length} api instances`, ...lostNotes, ...ctx.notes].join('; '),
      ...(problems.length > 0 ? { problems } : {}),
    };
  },
};
