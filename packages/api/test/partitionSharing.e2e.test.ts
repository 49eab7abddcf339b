import os from 'node:os';
import test from 'ava';
import { comparePositions } from '@planledger/core';
import { createRedisKeys, RedisPartitionLeaseStore, scanKeys, type RedisClient } from '@planledger/core/redis';
import { PROJECTION_NAMES } from '@planledger/projector/projections';
import { apiClient } from './apiClient.js';
import { converged, writeLoad } from './stackLoad.js';
import { connectStackRedis, startStack, type ProcessName, type Stack } from './stackProcesses.js';

const PARTITIONS = 8;
const LEASE_MS = 3000;

/** Who holds each partition's lease, counted by process name (`null`: a holder that is none of them). */
async function shares(stack: Stack, store: RedisPartitionLeaseStore, names: readonly ProcessName[]): Promise<Record<string, number>> {
  const byInstance = new Map(names.map((name) => [`${os.hostname()}-${stack.processes[name]?.pid}`, name]));
  const counts: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  for (const holder of await store.holders()) {
    const name = holder === null ? 'free' : (byInstance.get(holder) ?? 'other');
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

async function waitForShares(describe: string, read: () => Promise<Record<string, number>>, wanted: Record<string, number>, timeoutMs = 30_000): Promise<{ ms: number; last: Record<string, number> }> {
  const started = Date.now();
  let last: Record<string, number> = {};
  for (const deadline = started + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    last = await read();
    if (Object.entries(wanted).every(([name, count]) => last[name] === count) && Object.values(last).reduce((a, b) => a + b, 0) === Object.values(wanted).reduce((a, b) => a + b, 0)) return { ms: Date.now() - started, last };
  }
  throw new Error(`${describe}: still ${JSON.stringify(last)}, wanted ${JSON.stringify(wanted)}`);
}

/**
 * Watches the projections' state while the test runs: every plan's applied version and every
 * partition's checkpoint, per projection, must never go back.
 */
function watchForRegressions(redis: RedisClient, prefix: string) {
  const versions = new Map<string, number>();
  const checkpoints = new Map<string, string>();
  const regressions: string[] = [];
  let samples = 0;
  let running = true;
  const sample = async () => {
    await scanKeys(redis, `${prefix}:{p*}:projection:*`, async (found) => {
      const read = await Promise.all(found.map((key) => redis.hget(key, 'version')));
      found.forEach((key, i) => {
        const version = Number(read[i] ?? NaN);
        if (!Number.isFinite(version)) return;
        const before = versions.get(key) ?? 0;
        if (version < before) regressions.push(`${key}: ${before} → ${version}`);
        versions.set(key, Math.max(before, version));
      });
    });
    for (const projection of PROJECTION_NAMES) {
      for (let partition = 0; partition < PARTITIONS; partition += 1) {
        const key = `${prefix}:{p${partition}}:checkpoint:${projection}`;
        const position = await redis.get(key);
        const before = checkpoints.get(key);
        if (position === null) continue;
        if (before !== undefined && comparePositions(position, before) < 0) regressions.push(`${key}: ${before} → ${position}`);
        if (before === undefined || comparePositions(position, before) > 0) checkpoints.set(key, position);
      }
    }
    samples += 1;
  };
  const loop = (async () => {
    while (running) {
      await sample();
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await sample();
      return { regressions, samples, plans: versions.size };
    },
  };
}

test('2 relays and 2 projectors share the partitions, survive a SIGKILL of one of each under writes, take their share back, and the projections equal the fold of the log', async (t) => {
  const stack = await startStack({ PARTITIONS: String(PARTITIONS), PARTITION_LEASE_MS: String(LEASE_MS), PARTITION_HEARTBEAT_MS: '300' }, { relays: 2, projectors: 2 });
  t.teardown(() => stack.stop());
  const redis = connectStackRedis(stack.env);
  t.teardown(() => redis.disconnect());
  const keys = createRedisKeys({ prefix: stack.env.KEY_PREFIX ?? '', partitions: PARTITIONS });
  const relays = new RedisPartitionLeaseStore(redis, keys, 'relay');
  const projectors = new RedisPartitionLeaseStore(redis, keys, 'projector');
  const relayShares = () => shares(stack, relays, ['relay', 'relay2']);
  const projectorShares = () => shares(stack, projectors, ['projector', 'projector2']);
  const half = PARTITIONS / 2;

  const watch = watchForRegressions(redis, stack.env.KEY_PREFIX ?? '');
  const writer = await apiClient(stack.baseUrl, stack.env.OIDC_ISSUER ?? '', 'dev-writer');
  const load = writeLoad(writer);

  await waitForShares('relays share', relayShares, { relay: half, relay2: half });
  await waitForShares('projectors share', projectorShares, { projector: half, projector2: half });
  const metrics = await (await fetch(`http://127.0.0.1:${stack.envOf('projector2').PROJECTOR_METRICS_PORT}/metrics`)).text();
  t.regex(metrics, new RegExp(`planledger_partitions_owned\\{role="projector"\\} ${half}\\b`), 'the second projector reports its share');
  const relayMetrics = await (await fetch(`http://127.0.0.1:${stack.envOf('relay2').RELAY_METRICS_PORT}/metrics`)).text();
  t.regex(relayMetrics, new RegExp(`planledger_partitions_owned\\{role="relay"\\} ${half}\\b`), 'the second relay reports its share');
  const ready = (await (await fetch(`${stack.baseUrl}/health/ready`)).json()) as { partitions?: Record<'relay' | 'projector', { owners: Record<string, number[]>; free: number[] }> };
  for (const role of ['relay', 'projector'] as const) {
    t.deepEqual(Object.values(ready.partitions?.[role]?.owners ?? {}).map((mine) => mine.length), [half, half], `/health/ready lists the ${role}s' shares`);
  }
  await new Promise((r) => setTimeout(r, 1000));

  await stack.kill('projector2', 'SIGKILL');
  await stack.kill('relay2', 'SIGKILL');
  const takeover = await Promise.all([
    waitForShares('the surviving relay takes every partition', relayShares, { relay: PARTITIONS }),
    waitForShares('the surviving projector takes every partition', projectorShares, { projector: PARTITIONS }),
  ]);
  t.log(`survivors held every partition ${takeover.map((w) => w.ms).join(' ms and ')} ms after the SIGKILLs (lease ${LEASE_MS} ms)`);
  await new Promise((r) => setTimeout(r, 1000));

  await stack.restart('projector2');
  await stack.restart('relay2');
  const back = await Promise.all([
    waitForShares('the restarted relay gets its share back', relayShares, { relay: half, relay2: half }),
    waitForShares('the restarted projector gets its share back', projectorShares, { projector: half, projector2: half }),
  ]);
  t.log(`shares restored ${back.map((w) => w.ms).join(' ms and ')} ms after the restarts`);
  await new Promise((r) => setTimeout(r, 1000));

  t.log(`${await load.stop()} writes acknowledged across the kills and hand-overs`);
  await converged(stack, t);
  const watched = await watch.stop();
  t.log(`${watched.samples} samples of ${watched.plans} projection states and ${PROJECTION_NAMES.length * PARTITIONS} checkpoints`);
  t.true(watched.samples > 10);
  t.deepEqual(watched.regressions, [], 'no projection state nor checkpoint ever went back');
});
