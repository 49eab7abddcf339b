import { isDeepStrictEqual } from 'node:util';
import { foldPlan, planKey, type PlanEvent } from '@planledger/core';
import { createRedisKeys, RedisEventLog } from '@planledger/core/redis';
import { PROJECTION_NAMES } from '@planledger/projector/projections';
import { checkpointsPassed, logEnds } from '../../../projector/src/checkpointsPassed.js';
import { verifyProjection } from '../../../projector/src/verifyProjection.js';
import { eventually } from '../../../core/test/clusterScripts.js';
import { aPlan } from '../../../core/test/planMother.js';
import { apiClient } from '../apiClient.js';
import { devToken } from '../authTestContext.js';
import { waitForProjections } from '../stackLoad.js';
import { connectStackElastic, connectStackRedis, type Stack } from '../stackProcesses.js';
import type { FaultContext } from './faultRow.js';
import type { Topology } from './topology.js';
import { startWriteLoad, type AckedWrite } from './writeLoad.js';

const ORG = 'example.com';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface FaultContextOptions {
  readonly stack: Stack;
  readonly topology: Topology;
  readonly ops: number;
  readonly durations?: FaultContext['durations'];
  readonly log?: (line: string) => void;
}

/** The harness a fault row runs in: load, loss check, convergence check and recovery clock over one stack. */
export async function createFaultContext({ stack, topology, ops, durations = { esOutageMs: 120_000, soakMs: 600_000 }, log = () => undefined }: FaultContextOptions): Promise<FaultContext & { close(): Promise<void> }> {
  const issuer = stack.env.OIDC_ISSUER ?? '';
  const authorization = `Bearer ${await devToken(issuer, 'dev-writer')}`;
  const clients = await Promise.all(stack.baseUrls.map((baseUrl) => apiClient(baseUrl, issuer, 'dev-writer')));
  const redis = connectStackRedis(stack.env);
  const keys = createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: Number(stack.env.PARTITIONS) });
  const eventLog = new RedisEventLog(redis, keys);
  const es = connectStackElastic(stack.env);
  const notes: string[] = [];
  const probes: AckedWrite[] = [];

  const checkNothingLost = async (acked: readonly AckedWrite[]) => {
    notes.length = 0;
    const byPlan = new Map<string, AckedWrite[]>();
    for (const ack of [...acked, ...probes]) byPlan.set(planKey(ack), [...(byPlan.get(planKey(ack)) ?? []), ack]);
    let lost = 0;
    for (const writes of byPlan.values()) {
      const events = await eventLog.events(writes[0] ?? { org: ORG, planId: '' });
      for (const ack of writes) {
        const problem = whyLost(ack, events);
        if (problem === null) continue;
        lost += 1;
        if (notes.length < 5) notes.push(`${planKey(ack)}@${ack.version} (${ack.change}): ${problem}`);
      }
    }
    return lost;
  };

  const converged = async () => {
    notes.length = 0;
    try {
      await waitForProjections(stack, 300_000);
    } catch (error) {
      notes.push(String(error));
      return false;
    }
    // Lag 0 means every checkpoint passed the log's end; the last bulk may still be on its way to a refresh, so look again briefly before calling it unequal.
    for (let attempt = 1; ; attempt += 1) {
      const found: string[] = [];
      for (const projection of PROJECTION_NAMES) {
        const verdict = await verifyProjection({ projection, redis, keys, log: eventLog, es, alias: stack.env.ES_ALIAS ?? '' });
        found.push(...verdict.mismatches.slice(0, 3).map((mismatch) => `${projection}: ${mismatch.kind} ${planKey(mismatch)} ${mismatch.detail ?? ''}`));
        if (verdict.mismatches.length > 0) found.push(`${projection}: ${verdict.mismatches.length} of ${verdict.plans} plans differ`);
      }
      if (found.length === 0) return true;
      if (attempt === 3) {
        notes.push(...found);
        return false;
      }
      await sleep(2000);
    }
  };

  const recovered = async (since: number) => {
    for (let attempt = 0; ; attempt += 1) {
      if (Date.now() - since > 600_000) throw new Error('no probe write was acknowledged within 10 minutes');
      const document = aPlan();
      const response = await fetch(`${stack.baseUrls[attempt % stack.baseUrls.length]}/v1/plans`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify(document),
        signal: AbortSignal.timeout(10_000),
      }).catch(() => null);
      if (response?.status !== 201) {
        await response?.arrayBuffer();
        await sleep(50);
        continue;
      }
      await response.arrayBuffer();
      const token = response.headers.get('x-consistency-token') ?? '';
      probes.push({ org: ORG, planId: document.objectId, version: 1, etag: response.headers.get('etag'), change: 'created', sent: document, at: Date.now(), token });
      // Every partition, not only the probe's: a killed relay's partitions pass to the other one only when its lease lapses.
      // The harness's own Redis client may still be learning a failover the api already rode out: ask again.
      const deadline = since + 600_000;
      const { value: ends } = await eventually(() => logEnds(redis, keys), deadline - Date.now());
      for (const projection of PROJECTION_NAMES) {
        const { value: passed } = await eventually(() => checkpointsPassed({ redis, keys, projection, ends, timeoutMs: Math.max(0, deadline - Date.now()) }), deadline - Date.now());
        if (!passed) throw new Error(`${projection} did not pass the probe write within 10 minutes`);
      }
      return Date.now() - since;
    }
  };

  return {
    stack,
    topology,
    ops,
    durations,
    clients,
    notes,
    log,
    load: (options) => startWriteLoad({ baseUrls: stack.baseUrls, authorization, org: ORG }, options),
    checkNothingLost,
    converged,
    recovered,
    async close() {
      redis.disconnect();
      await es.close();
    },
  };
}

/** Why the log does not hold an acknowledged write as acknowledged, or null when it does. */
function whyLost(ack: AckedWrite, events: readonly PlanEvent[]): string | null {
  const event = events.find((candidate) => candidate.version === ack.version);
  if (!event) return `version ${ack.version} is not in the log (it has ${events.length} events)`;
  if (ack.etag !== null && ack.etag !== `"v${ack.version}"`) return `answered ETag ${ack.etag} for version ${ack.version}`;
  if (event.type !== ack.change) return `the log has a ${event.type} event there`;
  if (ack.change === 'patched' && !isDeepStrictEqual(event.patch, ack.sent)) return `the log's patch ${JSON.stringify(event.patch)} is not the one sent`;
  if (ack.change === 'created' && !isDeepStrictEqual(foldPlan(events.filter((e) => e.version <= ack.version)).document, ack.sent)) return 'the created document differs from the one sent';
  return null;
}
