/**
 * What the event log costs in Redis: bytes per event (MEMORY USAGE over every key the log
 * writes, partition streams included) against the event's JSON bytes, for one-field PATCHes of
 * the sample plan; and time travel latency (`stateAt` by version, `versionAt` + `stateAt` by
 * time) on a plan with many versions. Prints figures; asserts nothing.
 * Run through `npm run bench -- logCostBench`; the ratio bench (`bench/ratioBench.ts`) measures
 * the bytes per event and time travel through the api as well.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { createPlanService, refOfPlan, type PlanRef } from '../packages/core/src/index.js';
import { createRedisKeys, RedisEventLog, scanKeys, unlinkKeys, type RedisClient } from '../packages/core/src/adapters/redis/index.js';
import { aPlan } from '../packages/core/test/planMother.js';

export interface LogBytesOptions {
  readonly redis: RedisClient;
  /** One-field PATCHes after the create (default 1,000). */
  readonly patches?: number;
  /** Partitions of the throwaway log (default 1: every event lands in one stream, as for a hot partition). */
  readonly partitions?: number;
  /** Plans the patches are spread over, round robin (default 1). */
  readonly plans?: number;
}

export interface LogBytes {
  readonly events: number;
  /** Redis bytes of every key under the log's prefix, per event. */
  readonly bytesPerEvent: number;
  /** Mean JSON bytes of the events written. */
  readonly eventJsonBytes: number;
  /** bytesPerEvent / eventJsonBytes (target ≤ 1.5). */
  readonly ratio: number;
  /** Bytes per event by kind of key (log, head, index, snapshots, …). */
  readonly byKind: Readonly<Record<string, number>>;
}

const writer = { actor: { clientId: 'dev-writer', subject: 'dev-writer' }, org: 'example.com', crossOrg: false } as const;

/** Writes plans and one-field PATCHes through the plan service into a fresh prefix, measures, then deletes the keys. */
export async function measureLogBytesPerEvent({ redis, patches = 1000, partitions = 1, plans = 1 }: LogBytesOptions): Promise<LogBytes> {
  const prefix = `bench-bytes-${randomUUID().slice(0, 8)}`;
  const log = new RedisEventLog(redis, createRedisKeys({ prefix, partitions }));
  const service = createPlanService({ log, now: () => new Date() });
  const refs: PlanRef[] = [];
  for (let i = 0; i < plans; i += 1) {
    const plan = aPlan();
    await service.create(plan, { ...writer, requestId: randomUUID() });
    refs.push(refOfPlan(plan));
  }
  for (let i = 0; i < patches; i += 1) {
    const ref = refs[i % refs.length]!;
    await service.patch(ref, 'json-patch', [{ op: 'replace', path: '/planCostShares/copay', value: i }], { ifMatch: '*' }, { ...writer, requestId: randomUUID() });
  }
  try {
    let jsonBytes = 0;
    let events = 0;
    for (const ref of refs) {
      for (const event of await log.events(ref)) {
        jsonBytes += Buffer.byteLength(JSON.stringify(event));
        events += 1;
      }
    }
    const byKind: Record<string, number> = {};
    let total = 0;
    for (const key of await keysUnder(redis, prefix)) {
      const type = await redis.type(key);
      // SAMPLES 0: every entry of a stream (or element of a collection) is counted, not estimated.
      const bytes = Number(await redis.memory('USAGE', key, 'SAMPLES', 0)) || 0;
      const kind = /\}:([a-z-]+)/.exec(key)?.[1] ?? type;
      byKind[kind] = (byKind[kind] ?? 0) + bytes;
      total += bytes;
    }
    for (const kind of Object.keys(byKind)) byKind[kind] = round(byKind[kind]! / events);
    const bytesPerEvent = total / events;
    const eventJsonBytes = jsonBytes / events;
    return { events, bytesPerEvent: round(bytesPerEvent), eventJsonBytes: round(eventJsonBytes), ratio: round(bytesPerEvent / eventJsonBytes, 2), byKind };
  } finally {
    const keys = await keysUnder(redis, prefix);
    await unlinkKeys(redis, keys);
  }
}

export interface TimeTravelOptions {
  readonly redis: RedisClient;
  /** Versions of the plan (default 10,000). */
  readonly versions?: number;
  /** Reads of each kind (default 1,000). */
  readonly reads?: number;
  /** Reads in flight at once (default 8). */
  readonly concurrency?: number;
}

export interface TimeTravel {
  readonly versions: number;
  /** ms, by version: `stateAt(plan, n)` for random n. */
  readonly byVersion: { readonly p50: number; readonly p99: number };
  /** ms, by time: `versionAt(plan, t)` then `stateAt` for random t within the plan's life. */
  readonly byTime: { readonly p50: number; readonly p99: number };
}

/** Builds one plan with many versions through the log (one-field PATCHes, times 1 ms apart), then times random reads of the past. */
export async function measureTimeTravel({ redis, versions = 10_000, reads = 1000, concurrency = 8 }: TimeTravelOptions): Promise<TimeTravel> {
  const prefix = `bench-travel-${randomUUID().slice(0, 8)}`;
  const log = new RedisEventLog(redis, createRedisKeys({ prefix, partitions: 1 }));
  const start = Date.UTC(2026, 0, 1);
  let tick = 0;
  const service = createPlanService({ log, now: () => new Date(start + (tick += 1)) });
  const plan = aPlan();
  const ref = refOfPlan(plan);
  try {
    await service.create(plan, { ...writer, requestId: randomUUID() });
    for (let version = 2; version <= versions; version += 1) {
      await service.patch(ref, 'json-patch', [{ op: 'replace', path: '/planCostShares/copay', value: version }], { ifMatch: '*' }, { ...writer, requestId: randomUUID() });
    }
    const timed = async (read: () => Promise<unknown>) => {
      const took: number[] = [];
      let left = reads;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (left > 0) {
            left -= 1;
            const began = performance.now();
            await read();
            took.push(performance.now() - began);
          }
        }),
      );
      return { p50: round(percentile(took, 50), 2), p99: round(percentile(took, 99), 2) };
    };
    const byVersion = await timed(() => log.stateAt(ref, 1 + Math.floor(Math.random() * versions)));
    const byTime = await timed(async () => log.stateAt(ref, await log.versionAt(ref, new Date(start + Math.floor(Math.random() * (tick + 2))))));
    return { versions, byVersion, byTime };
  } finally {
    const keys = await keysUnder(redis, prefix);
    await unlinkKeys(redis, keys);
  }
}

async function keysUnder(redis: RedisClient, prefix: string): Promise<string[]> {
  const found: string[] = [];
  await scanKeys(redis, `${prefix}:*`, async (keys) => {
    found.push(...keys);
  });
  return found;
}

const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? NaN;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6380');
  try {
    const patches = Number(process.env.BENCH_PATCHES ?? 1000);
    const one = await measureLogBytesPerEvent({ redis, patches });
    process.stdout.write(`log bytes, ${one.events} events of one plan: ${one.bytesPerEvent} B/event for ${one.eventJsonBytes} B of event JSON = ${one.ratio}× ${JSON.stringify(one.byKind)}\n`);
    const many = await measureLogBytesPerEvent({ redis, patches, plans: 50, partitions: 4 });
    process.stdout.write(`log bytes, ${many.events} events of 50 plans in 4 partitions: ${many.bytesPerEvent} B/event for ${many.eventJsonBytes} B = ${many.ratio}× ${JSON.stringify(many.byKind)}\n`);
    const travel = await measureTimeTravel({ redis, versions: Number(process.env.BENCH_VERSIONS ?? 10_000) });
    process.stdout.write(`time travel on ${travel.versions} versions, 8 in flight: by version p50 ${travel.byVersion.p50} ms p99 ${travel.byVersion.p99} ms; by time p50 ${travel.byTime.p50} ms p99 ${travel.byTime.p99} ms\n`);
  } finally {
    redis.disconnect();
  }
}
