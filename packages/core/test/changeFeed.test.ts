import test from 'ava';
import { createChangeFeed, createPlanService, decodeChangeCursor, encodeChangeCursor, EVERY_ORG, InMemoryEventLog, InMemoryPartitionLog, InvalidCursor, matchesChange, PartitionMerge, type ChangeEntry, type ChangeFeed, type ChangeFilter, type PlanEvent, type WriteContext } from '../src/index.js';
import { aPlan } from './planMother.js';

const writer = (org: string, clientId = 'dev-writer'): WriteContext => ({ actor: { clientId, subject: `${clientId}-user` }, org, crossOrg: false, requestId: 'r' });

const event = (overrides: Partial<PlanEvent> = {}): PlanEvent => ({ planId: 'p', version: 2, type: 'patched', patch: [{ op: 'replace', path: '/linkedPlanServices/1/planserviceCostShares/copay', value: 1 }], actor: { clientId: 'app', subject: 'alice' }, org: 'example.com', at: '2026-02-01T12:00:00.000Z', requestId: 'r', schemaVersion: 2, ...overrides });
const filter = (overrides: Partial<ChangeFilter> = {}): ChangeFilter => ({ org: 'example.com', ...overrides });

test('matchesChange › org, planId, type, actor (clientId or subject, string actors too), time range [since, until)', (t) => {
  t.true(matchesChange(event(), filter()));
  t.false(matchesChange(event({ org: 'other.example' }), filter()));
  t.true(matchesChange(event({ org: 'other.example' }), filter({ org: EVERY_ORG })));
  t.false(matchesChange(event(), filter({ org: '*' })), "an org named '*' is just a name");
  t.false(matchesChange(event(), filter({ planId: 'q' })));
  t.true(matchesChange(event(), filter({ types: ['created', 'patched'] })));
  t.false(matchesChange(event(), filter({ types: ['deleted'] })));
  t.true(matchesChange(event(), filter({ actor: 'app' })));
  t.true(matchesChange(event(), filter({ actor: 'alice' })));
  t.false(matchesChange(event(), filter({ actor: 'bob' })));
  t.true(matchesChange(event({ actor: 'legacy' }), filter({ actor: 'legacy' })));
  t.true(matchesChange(event(), filter({ since: new Date('2026-02-01T12:00:00Z') })), 'since is inclusive');
  t.false(matchesChange(event(), filter({ until: new Date('2026-02-01T12:00:00Z') })), 'until is exclusive');
  t.true(matchesChange(event(), filter({ since: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-03-01T00:00:00Z') })));
});

test('matchesChange › path: an operation at, below or above the pointer touches it; a move touches where it moves from; a delete touches every path', (t) => {
  const at = (...segments: string[]) => filter({ path: segments });
  t.true(matchesChange(event(), at('linkedPlanServices', '1', 'planserviceCostShares', 'copay')));
  t.true(matchesChange(event(), at('linkedPlanServices')), 'below the pointer');
  t.true(matchesChange(event(), at()), 'the root');
  t.false(matchesChange(event(), at('linkedPlanServices', '0')));
  t.false(matchesChange(event(), at('planCostShares')));
  t.true(matchesChange(event({ type: 'created', version: 1, patch: [{ op: 'add', path: '', value: {} }] }), at('planType')), 'a create sets everything');
  t.true(matchesChange(event({ patch: [{ op: 'move', from: '/a/b', path: '/c' }] }), at('a')));
  t.false(matchesChange(event({ patch: [{ op: 'copy', from: '/a/b', path: '/c' }] }), at('a')), 'a copy leaves its source as it was');
  t.false(matchesChange(event({ patch: [{ op: 'test', path: '/a', value: 1 }] }), at('a')));
  t.true(matchesChange(event({ type: 'deleted', patch: [] }), at('planType')));
  t.true(matchesChange(event({ patch: [{ op: 'replace', path: '/a~1b/c~0d', value: 1 }] }), at('a/b', 'c~d')), 'pointer escapes');
});

test('change cursor › round-trips positions; anything else is InvalidCursor', (t) => {
  const positions = ['1700000000000-0', null, '5-3', null];
  t.deepEqual(decodeChangeCursor(encodeChangeCursor(positions), 4), positions);
  const bad = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  for (const cursor of ['', 'not base64!', 'eyJ', bad([1]), bad({ v: 2, p: positions }), bad({ v: 1, p: positions.slice(1) }), bad({ v: 1, p: ['x-1', null, null, null] }), bad({ v: 1, p: [1, null, null, null] }), bad({ v: 1, p: positions, x: 1 }), 'A'.repeat(5000)]) {
    t.throws(() => decodeChangeCursor(cursor, 4), { instanceOf: InvalidCursor }, cursor.slice(0, 40));
  }
});

test('PartitionMerge › every partition in position order, ties by partition, in chunks, resumable after its positions', async (t) => {
  const log = new InMemoryPartitionLog(3);
  const written = [0, 2, 1, 1, 0, 2, 2, 0].map((partition, i) => ({ partition, position: log.append(partition, `{"n":${i}}`) }));
  const merge = new PartitionMerge(log, { after: [null, null, null], chunk: 2 });
  const seen: string[] = [];
  for (let i = 0; i < 5; i += 1) seen.push((await merge.next())!.position);
  const resumed = new PartitionMerge(log, { after: merge.positions, chunk: 2 });
  for (let entry = await resumed.next(); entry !== null; entry = await resumed.next()) seen.push(entry.position);
  t.deepEqual(seen, written.map((w) => w.position));
  t.is(await resumed.peek(), null);
});

test('PartitionMerge › an entry appended to a partition read behind another is not skipped on resume', async (t) => {
  const log = new InMemoryPartitionLog(2);
  log.append(0, '{}');
  log.append(1, '{}');
  const merge = new PartitionMerge(log, { after: [null, null], chunk: 10 });
  await merge.next();
  await merge.next();
  const late = log.append(0, '{}');
  const resumed = new PartitionMerge(log, { after: merge.positions, chunk: 10 });
  t.is((await resumed.next())?.position, late);
});

async function world(): Promise<{ feed: ChangeFeed; log: InMemoryEventLog; plans: ReturnType<typeof createPlanService>; ids: string[] }> {
  const log = new InMemoryEventLog(4);
  const plans = createPlanService({ log, now: () => new Date() });
  const ids: string[] = [];
  for (let i = 0; i < 6; i += 1) {
    const plan = aPlan({ id: `plan-${i}` });
    ids.push(plan.objectId);
    await plans.create(plan, writer('example.com', i % 2 === 0 ? 'app-even' : 'app-odd'));
    await plans.create(aPlan({ id: `plan-${i}`, org: 'other.example' }), writer('other.example'));
  }
  for (let round = 0; round < 3; round += 1) {
    for (const id of ids) await plans.patch({ org: 'example.com', planId: id }, 'json-patch', [{ op: 'replace', path: '/linkedPlanServices/1/planserviceCostShares/copay', value: 100 + round }], { ifMatch: '*' }, writer('example.com'));
  }
  await plans.remove({ org: 'example.com', planId: ids[0]! }, { ifMatch: '*' }, writer('example.com'));
  return { feed: createChangeFeed({ partitions: log.partitionLog, log, chunk: 3 }), log, plans, ids };
}

const all = async (feed: ChangeFeed, f: ChangeFilter): Promise<ChangeEntry[]> => {
  const out: ChangeEntry[] = [];
  for await (const change of feed.stream(f)) out.push(change);
  return out;
};

test('change feed › the org’s events in log order, each with its /diff lines and position; another org’s never', async (t) => {
  const { feed, ids } = await world();
  const changes = await all(feed, filter());
  t.is(changes.length, 6 + 18 + 1);
  t.true(changes.every((c) => c.org === 'example.com'));
  const order = changes.map((c) => Number(c.position.split(':')[1]!.split('-')[0]));
  t.deepEqual(order, [...order].sort((a, b) => a - b), 'ascending log position (the twin numbers entries across partitions)');
  const second = changes.find((c) => c.planId === ids[3] && c.version === 3)!;
  t.deepEqual(second.changes, [`linkedPlanServices[objectId=${ids[3]}-lps2].planserviceCostShares.copay: 100 → 101`]);
  const deleted = changes.at(-1)!;
  t.like(deleted, { type: 'deleted', planId: ids[0], version: 5 });
  t.is(deleted.deleted?.objectId, ids[0]);
  t.is((await all(feed, filter({ org: EVERY_ORG }))).length, 6 + 18 + 1 + 6);
});

test('change feed › pages with a cursor give exactly the stream, in the same order, with filters', async (t) => {
  const { feed, ids } = await world();
  for (const f of [filter(), filter({ types: ['created', 'deleted'] }), filter({ planId: ids[2]! }), filter({ actor: 'app-odd' }), filter({ path: ['linkedPlanServices', '1'] })]) {
    const streamed = await all(feed, f);
    const paged: ChangeEntry[] = [];
    let cursor: string | null = null;
    do {
      const page = await feed.page(f, { cursor, limit: 4 });
      t.true(page.changes.length <= 4);
      paged.push(...page.changes);
      cursor = page.next;
    } while (cursor !== null);
    t.deepEqual(paged, streamed, JSON.stringify(f));
  }
  t.deepEqual((await all(feed, filter({ actor: 'app-odd' }))).map((c) => c.planId), [ids[1], ids[3], ids[5]]);
  t.deepEqual((await all(feed, filter({ planId: ids[2]! }))).map((c) => c.version), [1, 2, 3, 4]);
});

test('change feed › a page stops after its scan limit with a next cursor, so a sparse filter never reads the whole log at once', async (t) => {
  const log = new InMemoryEventLog(2);
  const plans = createPlanService({ log, now: () => new Date() });
  for (let i = 0; i < 30; i += 1) await plans.create(aPlan({ org: 'other.example' }), writer('other.example'));
  const mine = aPlan();
  await plans.create(mine, writer('example.com'));
  const feed = createChangeFeed({ partitions: log.partitionLog, log, pageScanLimit: 10 });
  const pages = [];
  let cursor: string | null = null;
  do {
    const page = await feed.page(filter(), { cursor, limit: 100 });
    pages.push(page.changes.length);
    cursor = page.next;
  } while (cursor !== null);
  t.true(pages.length >= 3, `pages ${pages.join(',')}`);
  t.is(pages.reduce((a, b) => a + b, 0), 1);
});

test('change feed › a folded state cache that misses reads the plan’s state from the log, with the same lines', async (t) => {
  const { log, ids } = await world();
  const tiny = createChangeFeed({ partitions: log.partitionLog, log, chunk: 2, stateCacheSize: 1 });
  const roomy = createChangeFeed({ partitions: log.partitionLog, log });
  t.deepEqual(await all(tiny, filter()), await all(roomy, filter()));
  const page = await tiny.page(filter({ planId: ids[4]!, types: ['patched'] }), { cursor: null, limit: 1 });
  t.deepEqual(page.changes[0]?.changes, [`linkedPlanServices[objectId=${ids[4]}-lps2].planserviceCostShares.copay: 175 → 100`]);
});

test('change feed › positionTimes skip entries appended far outside [since, until), keeping a clock-skew margin', async (t) => {
  const log = new InMemoryPartitionLog(1);
  const events = [1_000, 2_000, 3_000].map((ms, i) => event({ planId: `p${i}`, version: 1, type: 'created', patch: [{ op: 'add', path: '', value: aPlan({ id: `p${i}` }) as never }], at: new Date(ms).toISOString() }));
  for (const e of events) log.append(0, JSON.stringify(e));
  const reads: (string | null)[] = [];
  const spy = { ...log, partitions: 1, read: (p: number, o: { after: string | null; count: number }) => (reads.push(o.after), log.read(p, o)) } as unknown as InMemoryPartitionLog;
  // The twin numbers entries 1-0, 2-0, 3-0: read them as the ms 1000, 2000, 3000.
  const positionTimes = { before: (ms: number) => `${Math.floor(ms / 1000) - 1}-0`, msOf: (p: string) => Number(p.split('-')[0]) * 1000 };
  const eventLog = new InMemoryEventLog(1);
  const feed = createChangeFeed({ partitions: spy, log: eventLog, positionTimes, clockSkewMs: 0 });
  const found = await all(feed, filter({ since: new Date(2_000), until: new Date(3_000) }));
  t.deepEqual(found.map((c) => c.planId), ['p1']);
  t.deepEqual(reads, ['1-0'], 'started after the entry before since, stopped at the first past until');
});
