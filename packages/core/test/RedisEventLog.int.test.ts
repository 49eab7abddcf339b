import { randomUUID } from 'node:crypto';
import test from 'ava';
import { createRedisKeys, RedisEventLog, assertDurableRedis, VERSION_RECORD_WIDTH } from '../src/adapters/redis/index.js';
import { EVENT_SCHEMA_VERSION, refOfPlan, VersionConflict, type PlanDocument, type PlanEvent } from '../src/index.js';
import { aPlan } from './planMother.js';
import { eventLogContract } from './eventLogContract.js';
import { connectTestRedis, deleteKeys, keysUnder, randomPrefix, TEST_REPLICA_ACKS } from './redisTestContext.js';

const redis = connectTestRedis();
const prefix = randomPrefix('eventlog');

test.after.always(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

eventLogContract(test, 'RedisEventLog', async (options) => new RedisEventLog(redis, createRedisKeys({ prefix, partitions: 4 }), { ...options, replicaAcks: TEST_REPLICA_ACKS }));

test('RedisEventLog › survives a flushed script cache (EVALSHA reloads on NOSCRIPT)', async (t) => {
  const log = new RedisEventLog(redis, createRedisKeys({ prefix, partitions: 4 }));
  await redis.script('FLUSH');
  const plan = aPlan();
  await log.append({
    event: { planId: plan.objectId, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: plan }], actor: 'a', org: plan._org, at: new Date().toISOString(), requestId: 'r', schemaVersion: 1 },
    document: plan,
  });
  t.is((await log.head(refOfPlan(plan)))?.version, 1);
});

test('RedisEventLog › the log Redis runs with AOF appendfsync always', async (t) => {
  await t.notThrowsAsync(assertDurableRedis(redis, { allowNonDurable: false }));
});

const eventOf = (plan: PlanDocument, version: number, patch: PlanEvent['patch']): PlanEvent => ({
  planId: plan.objectId,
  version,
  type: version === 1 ? 'created' : 'patched',
  patch,
  actor: 'dev-writer',
  org: plan._org as string,
  at: new Date(Date.UTC(2026, 0, 1) + version * 1000).toISOString(),
  requestId: randomUUID(),
  schemaVersion: EVENT_SCHEMA_VERSION,
});

/** The plan with its copay at `copay`. */
const withCopay = (plan: PlanDocument, copay: number): PlanDocument => ({ ...plan, planCostShares: { ...(plan.planCostShares as object), copay } });

/** The append that makes `version` of the plan by setting its copay to the version. */
const copayChange = (plan: PlanDocument, version: number) => ({ event: eventOf(plan, version, [{ op: 'replace', path: '/planCostShares/copay', value: version }]), document: withCopay(plan, version) });

/** Runs `body` on keys under a prefix of its own (a log with `partitions` partitions; the prefix passed too), deleted after. */
async function withOwnKeys(name: string, partitions: number, body: (keys: ReturnType<typeof createRedisKeys>, prefix: string) => Promise<void>): Promise<void> {
  const own = randomPrefix(name);
  try {
    await body(createRedisKeys({ prefix: own, partitions }), own);
  } finally {
    await deleteKeys(redis, own);
  }
}

async function appendPatches(log: RedisEventLog, plan: PlanDocument, versions: number): Promise<void> {
  await log.append({ event: eventOf(plan, 1, [{ op: 'add', path: '', value: plan }]), document: plan });
  for (let version = 2; version <= versions; version += 1) {
    await log.append(copayChange(plan, version));
  }
}

test('RedisEventLog › each event is stored once: one stream entry with one field; the plan keeps 18-byte version records', async (t) => {
  await withOwnKeys('eventlog-once', 1, async (keys, own) => {
    const log = new RedisEventLog(redis, keys, { snapshotEvery: 10 });
    const plan = aPlan();
    await appendPatches(log, plan, 25);
    const entries = await redis.xrange(keys.log(0), '-', '+');
    t.is(entries.length, 25);
    t.true(entries.every(([, fields]) => fields.length === 2 && fields[0] === 'event'));
    t.deepEqual(entries.map(([, fields]) => JSON.parse(fields[1]!).version), Array.from({ length: 25 }, (_, i) => i + 1));
    t.is(await redis.strlen(keys.versions(refOfPlan(plan))), 25 * VERSION_RECORD_WIDTH);
    t.deepEqual((await redis.hkeys(keys.snapshots(refOfPlan(plan)))).sort(), ['10', '20']);
    const all = await keysUnder(redis, own);
    t.deepEqual(all.sort(), [keys.head(refOfPlan(plan)), keys.log(0), keys.snapshots(refOfPlan(plan)), keys.versions(refOfPlan(plan))].sort());
  });
});

test('RedisEventLog › one-field PATCHes cost at most 1.5× their event JSON in Redis memory (every key the log writes)', async (t) => {
  await withOwnKeys('eventlog-bytes', 1, async (keys, own) => {
    const log = new RedisEventLog(redis, keys);
    const plan = aPlan();
    await appendPatches(log, plan, 300);
    const json = (await log.events(refOfPlan(plan))).reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0);
    let bytes = 0;
    for (const key of await keysUnder(redis, own)) bytes += Number(await redis.memory('USAGE', key, 'SAMPLES', 0));
    t.log(`${(bytes / 300).toFixed(0)} B/event for ${(json / 300).toFixed(0)} B of JSON`);
    t.true(bytes <= 1.5 * json, `${bytes} bytes for ${json} bytes of event JSON`);
  });
});

test('RedisEventLog › reads longer than one script chunk come back whole and in order', async (t) => {
  const log = new RedisEventLog(redis, createRedisKeys({ prefix, partitions: 4 }), { readChunk: 4, snapshotEvery: 7 });
  const plan = aPlan();
  await appendPatches(log, plan, 23);
  t.deepEqual((await log.events(refOfPlan(plan))).map((e) => e.version), Array.from({ length: 23 }, (_, i) => i + 1));
  t.deepEqual((await log.events(refOfPlan(plan), { from: 3, to: 12 })).map((e) => e.version), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  t.deepEqual((await log.events(refOfPlan(plan), { from: 5, to: 8 })).map((e) => e.version), [5, 6, 7, 8]);
  t.like((await log.stateAt(refOfPlan(plan), 20)).document?.planCostShares, { copay: 20 });
});

test('RedisEventLog › reads and time travel survive a flushed script cache', async (t) => {
  const log = new RedisEventLog(redis, createRedisKeys({ prefix, partitions: 4 }), { snapshotEvery: 3 });
  const plan = aPlan();
  await appendPatches(log, plan, 5);
  await redis.script('FLUSH');
  t.is((await log.events(refOfPlan(plan))).length, 5);
  await redis.script('FLUSH');
  t.is(await log.versionAt(refOfPlan(plan), new Date(Date.UTC(2026, 0, 1) + 4500)), 4);
  await redis.script('FLUSH');
  t.is((await log.stateAt(refOfPlan(plan), 4)).version, 4);
});

test('RedisEventLog › snapshots written with another K: stateAt folds from the start instead', async (t) => {
  const keys = createRedisKeys({ prefix, partitions: 4 });
  const plan = aPlan();
  await appendPatches(new RedisEventLog(redis, keys, { snapshotEvery: 7 }), plan, 12);
  const state = await new RedisEventLog(redis, keys, { snapshotEvery: 5, pastSnapshotEvery: [] }).stateAt(refOfPlan(plan), 11);
  t.is(state.version, 11);
  t.like(state.document?.planCostShares, { copay: 11 });
});

test('RedisEventLog › snapshots written with a past K are read from where they are (a changed K keeps old logs fast)', async (t) => {
  const keys = createRedisKeys({ prefix, partitions: 4 });
  const plan = aPlan();
  await appendPatches(new RedisEventLog(redis, keys, { snapshotEvery: 7, pastSnapshotEvery: [] }), plan, 12);
  t.deepEqual(await redis.hkeys(keys.snapshots(refOfPlan(plan))), ['7']);
  // Mark the snapshot at 7 (written back as plain JSON, as earlier releases stored snapshots): a
  // fold from it carries the mark, a fold from the start would not.
  const at7 = await new RedisEventLog(redis, keys, { snapshotEvery: 7 }).stateAt(refOfPlan(plan), 7);
  await redis.hset(keys.snapshots(refOfPlan(plan)), '7', JSON.stringify({ ...at7.document, marked: true }));
  const log = new RedisEventLog(redis, keys, { snapshotEvery: 5, pastSnapshotEvery: [7] });
  const state = await log.stateAt(refOfPlan(plan), 11);
  t.is(state.version, 11);
  t.like(state.document, { marked: true, planCostShares: { copay: 11 } });
  // Version 6 has no snapshot at or before it under either K (5 was never written): folded from the start.
  t.like(await log.stateAt(refOfPlan(plan), 6), { version: 6, document: { planCostShares: { copay: 6 } } });
  t.false('marked' in ((await log.stateAt(refOfPlan(plan), 6)).document ?? {}));
});

test('RedisEventLog › snapshots are kept deflated (a deleted version as one byte) and read back exactly, as are plain ones of earlier releases', async (t) => {
  await withOwnKeys('eventlog-snapshots', 1, async (keys) => {
    const log = new RedisEventLog(redis, keys, { snapshotEvery: 4 });
    const plan = aPlan();
    const ref = refOfPlan(plan);
    await appendPatches(log, plan, 5);
    const stored = await redis.hgetBuffer(keys.snapshots(ref), '4');
    const document = withCopay(plan, 4);
    t.is(stored?.[0], 0, 'a 0 byte, then raw DEFLATE');
    t.true(stored!.length < Buffer.byteLength(JSON.stringify(document)) / 2, `${stored!.length} bytes for ${Buffer.byteLength(JSON.stringify(document))} of JSON`);
    t.deepEqual((await log.stateAt(ref, 4)).document, document);
    t.deepEqual((await log.stateAt(ref, 5)).document?.planCostShares, { ...(plan.planCostShares as object), copay: 5 });
    // Deleted at a multiple of K: the snapshot says so in one byte, and a read there is the deleted plan.
    await log.append({ event: { ...eventOf(plan, 6, []), type: 'deleted' } as PlanEvent, document: null });
    await log.append({ event: eventOf(plan, 7, [{ op: 'add', path: '', value: plan }]), document: plan });
    await log.append({ event: { ...eventOf(plan, 8, []), type: 'deleted' } as PlanEvent, document: null });
    t.deepEqual(await redis.hgetBuffer(keys.snapshots(ref), '8'), Buffer.from([0]));
    t.like(await log.stateAt(ref, 8), { version: 8, document: null });
    // Plain JSON and '' (deleted), as earlier releases wrote them, read as they are.
    await redis.hset(keys.snapshots(ref), '4', JSON.stringify({ ...document, plain: true }), '8', '');
    t.like((await log.stateAt(ref, 5)).document, { plain: true, planCostShares: { copay: 5 } });
    t.like(await log.stateAt(ref, 8), { version: 8, document: null });
  });
});

test('RedisEventLog › a plan of an older layout (a head without version records) refuses appends and changes nothing', async (t) => {
  await withOwnKeys('eventlog-layout', 1, async (keys) => {
    const log = new RedisEventLog(redis, keys);
    const plan = aPlan();
    const ref = refOfPlan(plan);
    await redis.hset(keys.head(ref), 'version', '3', 'document', JSON.stringify(plan), 'org', plan._org as string, 'at', '0');
    await t.throwsAsync(log.append({ event: eventOf(plan, 4, []), document: plan }), { message: /PLANLEDGER_LAYOUT.*relayout/ });
    t.is(await redis.exists(keys.log(0)), 0);
    t.is(await redis.hget(keys.head(ref), 'version'), '3');
    t.is(await redis.exists(keys.versions(ref)), 0);
  });
});

test('RedisEventLog › a version record pointing at an entry the log lost is an error, not a shorter history', async (t) => {
  const keys = createRedisKeys({ prefix, partitions: 4 });
  const log = new RedisEventLog(redis, keys);
  const plan = aPlan();
  await appendPatches(log, plan, 3);
  const [second] = await log.events(refOfPlan(plan), { from: 2, to: 2 });
  const entries = await redis.xrange(keys.log(keys.partitionOf(refOfPlan(plan))), '-', '+');
  const id = entries.find(([, fields]) => fields[1] === JSON.stringify(second))?.[0] ?? '';
  await redis.xdel(keys.log(keys.partitionOf(refOfPlan(plan))), id);
  await t.throwsAsync(log.events(refOfPlan(plan)), { message: /PLANLEDGER_MISSING version 2/ });
});

test('RedisEventLog › a head this process last wrote or read is used as it is while Redis holds the same version from the same log entry; another is read again', async (t) => {
  const keys = createRedisKeys({ prefix, partitions: 4 });
  const log = new RedisEventLog(redis, keys);
  const plan = aPlan();
  const ref = refOfPlan(plan);
  await log.append({ event: eventOf(plan, 1, [{ op: 'add', path: '', value: plan }]), document: plan });
  t.is((await log.head(ref))?.document, plan, 'the document it appended, not a parse of it');

  // Another process appends the next version: this one reads and folds it (once).
  const next = withCopay(plan, 2);
  await new RedisEventLog(redis, keys).append({ event: eventOf(plan, 2, [{ op: 'replace', path: '/planCostShares/copay', value: 2 }]), document: next });
  const read = (await log.head(ref))?.document;
  t.not(read, next);
  t.deepEqual(read, next);
  t.is((await log.head(ref))?.document, read, 'read again: the same document');

  // The same version written by another log entry (a log written again under the same keys): read again.
  const other = { ...next, planType: 'outOfNetwork' };
  await redis.hset(keys.head(ref), 'document', JSON.stringify(other), 'documentVersion', '2', 'position', '1-1');
  t.deepEqual((await log.head(ref))?.document, other);

  // A deleted plan is let go.
  await log.append({ event: { ...eventOf(plan, 3, []), type: 'deleted' }, document: null });
  t.is((await log.head(ref))?.document, null);
});

test('RedisEventLog › a head stores its document only every headDocumentEvery versions (a young plan none); a process that does not hold it folds the events since', async (t) => {
  await withOwnKeys('eventlog-head-document', 1, async (keys) => {
    const log = new RedisEventLog(redis, keys, { headDocumentEvery: 4 });
    const plan = aPlan();
    const ref = refOfPlan(plan);
    const stored: [string | null, string | null][] = [];
    await log.append({ event: eventOf(plan, 1, [{ op: 'add', path: '', value: plan }]), document: plan });
    stored.push((await redis.hmget(keys.head(ref), 'documentVersion', 'document')) as [string | null, string | null]);
    for (let version = 2; version <= 9; version += 1) {
      await log.append(copayChange(plan, version));
      stored.push((await redis.hmget(keys.head(ref), 'documentVersion', 'document')) as [string | null, string | null]);
      // A process holding nothing reads it right at every version, whatever the head stores.
      t.deepEqual((await new RedisEventLog(redis, keys, { headDocumentEvery: 4 }).head(ref))?.document, withCopay(plan, version), `version ${version}`);
    }
    t.deepEqual(stored.map(([documentVersion]) => Number(documentVersion)), [0, 0, 0, 4, 4, 4, 4, 8, 8]);
    t.deepEqual(stored.map(([, document]) => (document ? (JSON.parse(document) as PlanDocument).planCostShares : null)), [null, null, null, withCopay(plan, 4).planCostShares, withCopay(plan, 4).planCostShares, withCopay(plan, 4).planCostShares, withCopay(plan, 4).planCostShares, withCopay(plan, 8).planCostShares, withCopay(plan, 8).planCostShares]);
    // Every append wrote the event itself once; the head stored no document between.
    t.is(await redis.xlen(keys.log(0)), 9);
    t.is((await log.head(ref))?.version, 9);
  });
});

test("RedisEventLog › processes writing one plan in turn each read the other's head in one command: the stored document and the events after it", async (t) => {
  await withOwnKeys('eventlog-head-turns', 1, async (keys) => {
    const plan = aPlan();
    const ref = refOfPlan(plan);
    const sent = [0, 0];
    const logs = sent.map((_, i) => {
      // Counts the commands the log asks its client for (what ioredis does inside one, such as
      // loading a script again after tests elsewhere flushed the cache, is that one command).
      const client = new Proxy(redis, {
        get(target, name, receiver) {
          const value: unknown = Reflect.get(target, name, receiver);
          if (typeof value !== 'function' || name === 'defineCommand') return value;
          return (...args: unknown[]) => {
            sent[i] = sent[i]! + 1;
            return (value as (...args: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      return new RedisEventLog(client, keys, { headDocumentEvery: 4 });
    });
    await logs[0]!.append({ event: eventOf(plan, 1, [{ op: 'add', path: '', value: plan }]), document: plan });
    t.deepEqual((await logs[1]!.head(ref))?.document, plan);
    for (let version = 2; version <= 20; version += 1) {
      const i = version % 2;
      sent[i] = 0;
      const head = await logs[i]!.head(ref);
      t.is(sent[i], 1, `version ${version - 1} read in one command`);
      t.deepEqual(head?.document, version === 2 ? plan : withCopay(plan, version - 1), `version ${version - 1}`);
      await logs[i]!.append(copayChange(plan, version));
      t.is(sent[i], 2, `version ${version} appended in one command`);
    }
    t.deepEqual((await new RedisEventLog(redis, keys).head(ref))?.document, withCopay(plan, 20));
  });
});

test("RedisEventLog › an earlier release's head (its document at its version, no log entry) is read as it is, and the next append moves it to this layout", async (t) => {
  await withOwnKeys('eventlog-head-earlier', 1, async (keys) => {
    const plan = aPlan();
    const ref = refOfPlan(plan);
    await appendPatches(new RedisEventLog(redis, keys, { headDocumentEvery: 1 }), plan, 3);
    await redis.hdel(keys.head(ref), 'position', 'documentVersion');
    const log = new RedisEventLog(redis, keys);
    const head = await log.head(ref);
    t.is(head?.documentJson, (await redis.hget(keys.head(ref), 'document')) ?? '', 'the stored text, sent as it is');
    t.like(head?.document, { planCostShares: { copay: 3 } });
    await log.append(copayChange(plan, 4));
    const [position, documentVersion] = await redis.hmget(keys.head(ref), 'position', 'documentVersion');
    t.truthy(position);
    t.is(documentVersion, '0', 'a young plan not held here: folded from the start');
    t.like((await new RedisEventLog(redis, keys).head(ref))?.document, { planCostShares: { copay: 4 } });
  });
});

test('RedisEventLog › an append that keeps the head document this process holds is refused, with nothing written, when Redis holds another head at that version', async (t) => {
  await withOwnKeys('eventlog-head-guard', 1, async (keys) => {
    const log = new RedisEventLog(redis, keys);
    const plan = aPlan();
    const ref = refOfPlan(plan);
    await appendPatches(log, plan, 2);
    // The log written again under the same keys: the same version, from another entry.
    await redis.hset(keys.head(ref), 'position', '1-1');
    const third = copayChange(plan, 3);
    await t.throwsAsync(log.append(third), { instanceOf: VersionConflict });
    t.is(await redis.xlen(keys.log(0)), 2);
    t.is(await redis.hget(keys.head(ref), 'version'), '2');
    // Read again, the head is this process's once more, and the append goes through.
    t.is((await log.head(ref))?.version, 2);
    await t.notThrowsAsync(log.append(third));
    t.like((await new RedisEventLog(redis, keys).head(ref))?.document, { planCostShares: { copay: 3 } });
  });
});

test('RedisEventLog › a snapshot read before is decoded once while Redis holds the same bytes; other bytes at that version are decoded again', async (t) => {
  await withOwnKeys('eventlog-snapshot-cache', 1, async (keys) => {
    const log = new RedisEventLog(redis, keys, { snapshotEvery: 4 });
    const plan = aPlan();
    const ref = refOfPlan(plan);
    await appendPatches(log, plan, 9);
    const at4 = (await log.stateAt(ref, 4)).document;
    t.is((await log.stateAt(ref, 4)).document, at4, 'the same decoded snapshot, not a second decode');
    t.deepEqual((await log.stateAt(ref, 6)).document?.planCostShares, { ...(plan.planCostShares as object), copay: 6 });
    t.deepEqual((await new RedisEventLog(redis, keys, { snapshotEvery: 4 }).stateAt(ref, 4)).document, at4, 'another process decodes its own');
    // The same version, other bytes (a log written again under the same keys): decoded again.
    await redis.hset(keys.snapshots(ref), '4', JSON.stringify({ ...at4, rewritten: true }));
    t.like((await log.stateAt(ref, 4)).document, { rewritten: true });
    t.like((await log.stateAt(ref, 5)).document, { rewritten: true, planCostShares: { copay: 5 } });
    // With no budget nothing is kept, and every read is still right.
    const uncached = new RedisEventLog(redis, keys, { snapshotEvery: 4, snapshotCacheBytes: 0 });
    const first = (await uncached.stateAt(ref, 8)).document;
    const second = (await uncached.stateAt(ref, 8)).document;
    t.not(first, second);
    t.deepEqual(first, second);
    t.deepEqual(first?.planCostShares, { ...(plan.planCostShares as object), copay: 8 });
  });
});
