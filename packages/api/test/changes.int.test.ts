import test from 'ava';
import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import { loadOrCreateKeys } from '@planledger/idp';
import { aPlan } from '../../core/test/planMother.js';
import { AUDIENCE, devToken } from './authTestContext.js';
import type { ApiClient } from './apiClient.js';
import { startWriteSide, type WriteSide } from './writeSideContext.js';

interface Change {
  position: string;
  planId: string;
  org: string;
  version: number;
  type: string;
  at: string;
  actor: { clientId: string; subject?: string; email?: string; act?: { sub: string; client_id?: string } };
  reason?: string;
  requestId: string;
  idempotencyKey?: string;
  schemaVersion: number;
  patch: unknown[];
  changes: string[];
  deleted?: { objectId: string };
}
interface Page {
  changes: Change[];
  next: string | null;
}

let side: WriteSide;
let auditorToken: string;
// Every plan of this file carries this run's marker in its id, so filters by planId keep tests apart.
const run = randomUUID().slice(0, 8);
const ids = { a: `chg-${run}-a`, b: `chg-${run}-b` };
const copay = (value: number) => [{ op: 'replace', path: '/linkedPlanServices/1/planserviceCostShares/copay', value }];

test.before(async () => {
  side = await startWriteSide();
  auditorToken = await devToken(side.issuer, 'dev-auditor');
  const reason = (text: string) => ({ 'x-change-reason': text });
  const ok = (response: { status: number; body: unknown }) => {
    if (response.status >= 300) throw new Error(`${response.status} ${JSON.stringify(response.body)}`);
  };
  ok(await side.writer.post('/v1/plans', aPlan({ id: ids.a }), { ...reason('initial load'), 'idempotency-key': `create-${run}` }));
  ok(await side.other.post('/v1/plans', aPlan({ id: ids.a, org: 'other.example' }), reason('their own plan')));
  ok(await side.writer.post('/v1/plans', aPlan({ id: ids.b })));
  ok(await side.writer.patch(`/v1/plans/${ids.a}`, copay(150), 'application/json-patch+json', '"v1"', reason('ticket 42: copay corrected')));
  ok(await side.writer.patch(`/v1/plans/${ids.b}`, { planType: 'outOfNetwork' }, 'application/merge-patch+json', '"v1"'));
  ok(await side.writer.patch(`/v1/plans/${ids.a}`, copay(120), 'application/json-patch+json', '"v2"'));
  ok(await side.writer.delete(`/v1/plans/${ids.b}`, '"v2"', reason('plan withdrawn')));
});
test.after.always(() => side?.stop());

const ours = `planId=${ids.a}`;
async function pages(client: ApiClient, first: string): Promise<Change[]> {
  const out: Change[] = [];
  for (let href: string | null = first; href !== null; ) {
    const page: { status: number; body: Page } = await client.get<Page>(href);
    if (page.status !== 200) throw new Error(`${page.status} ${JSON.stringify(page.body)}`);
    out.push(...page.body.changes);
    href = page.body.next;
  }
  return out;
}
const mine = (changes: Change[]) => changes.filter((c) => c.planId === ids.a || c.planId === ids.b);

async function text(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(`${side.baseUrl}${path}`, { headers: { authorization: `Bearer ${auditorToken}`, ...headers } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

/** RFC 4180 rows (quoted fields with doubled quotes), enough to read the export back. */
function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i += 1) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') (field += '"'), (i += 1);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && csv[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), (i += 1);
    else field += c;
  }
  return rows;
}

test('GET /v1/changes › the org’s events in log order with actor, reason, change lines and position; Link to the next page', async (t) => {
  const first = await side.auditor.get<Page>(`/v1/changes?${ours}&limit=2`);
  t.is(first.status, 200);
  t.is(first.body.changes.length, 2);
  t.regex(first.headers.get('link') ?? '', /^<\/v1\/changes\?.*cursor=.*>; rel="next"$/);
  const all = await pages(side.auditor, `/v1/changes?${ours}&limit=2`);
  t.deepEqual(all.map((c) => [c.version, c.type, c.reason]), [[1, 'created', 'initial load'], [2, 'patched', 'ticket 42: copay corrected'], [3, 'patched', undefined]]);
  t.deepEqual(all[0]?.actor, { clientId: 'dev-writer', subject: 'dev-writer' });
  t.like(all[0], { org: 'example.com', schemaVersion: 2, idempotencyKey: `create-${run}` });
  t.deepEqual(all[1]?.changes, [`linkedPlanServices[objectId=${ids.a}-lps2].planserviceCostShares.copay: 175 → 150`]);
  t.deepEqual(all[1]?.patch, copay(150));
  t.regex(all[0]!.position, /^\d+:\d+-\d+$/);
  const everything = mine(await pages(side.auditor, '/v1/changes?limit=1000'));
  t.is(everything.length, 6);
  const deleted = everything.find((c) => c.type === 'deleted')!;
  t.like(deleted, { planId: ids.b, version: 3, reason: 'plan withdrawn', deleted: { objectId: ids.b } });
  t.true(deleted.changes.includes('planType: "outOfNetwork" → (none)'), deleted.changes.join('\n'));
});

test('GET /v1/changes › filters: type, actor, path, since/until', async (t) => {
  const both = (query: string) => pages(side.auditor, `/v1/changes?${query}`).then(mine);
  t.deepEqual((await both('type=created,deleted')).map((c) => [c.planId, c.type]), [[ids.a, 'created'], [ids.b, 'created'], [ids.b, 'deleted']]);
  t.is((await both('actor=dev-writer')).length, 6);
  t.is((await both('actor=nobody')).length, 0);
  t.deepEqual((await both('path=/linkedPlanServices/1/planserviceCostShares')).map((c) => [c.planId, c.version]), [[ids.a, 1], [ids.b, 1], [ids.a, 2], [ids.a, 3], [ids.b, 3]]);
  t.deepEqual((await both('path=/planType')).map((c) => [c.planId, c.version]), [[ids.a, 1], [ids.b, 1], [ids.b, 2], [ids.b, 3]]);
  const history = mine(await pages(side.auditor, `/v1/changes?${ours}`));
  const since = history[1]!.at;
  const until = history[2]!.at;
  const ranged = (await both(`since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}&planId=${ids.a}`)).map((c) => c.version);
  t.true(ranged.includes(2) && !ranged.includes(1) && !ranged.includes(3) || since === until, `since inclusive, until exclusive: ${ranged.join(',')}`);
  t.deepEqual(await both('since=2000-01-01T00:00:00Z&until=2000-01-02T00:00:00Z'), []);
});

test('GET /v1/changes › tenancy: another org’s events never appear; admins name an org or * ; others may not', async (t) => {
  const own = await pages(side.auditor, '/v1/changes?limit=1000');
  t.true(own.every((c) => c.org === 'example.com'));
  t.false(JSON.stringify(own).includes('their own plan'));
  t.is((await side.other.get('/v1/changes')).status, 403, 'dev-other lacks audit:read');
  t.is((await side.auditor.get('/v1/changes?org=other.example')).status, 403);
  t.is((await side.auditor.get('/v1/changes?org=*')).status, 403);
  t.is((await side.auditor.get(`/v1/changes?org=example.com&${ours}`)).status, 200, 'its own org by name');
  const theirs = await pages(side.admin, `/v1/changes?org=other.example&${ours}`);
  t.deepEqual(theirs.map((c) => [c.org, c.reason]), [['other.example', 'their own plan']]);
  const every = await pages(side.admin, `/v1/changes?org=*&${ours}`);
  t.deepEqual(every.map((c) => c.org), ['example.com', 'other.example', 'example.com', 'example.com']);
  t.true((await side.admin.get<Page>(`/v1/changes?org=*&${ours}&limit=1`)).body.next?.includes('org=*') ?? false, 'next keeps the query');
});

test('GET /v1/changes › bad input is a 400 problem naming it', async (t) => {
  const cases: [string, string][] = [
    ['cursor=garbage', '/problems/invalid-cursor'],
    [`cursor=${Buffer.from(JSON.stringify({ v: 1, p: [null] })).toString('base64url')}`, '/problems/invalid-cursor'],
    ['since=2026-02-30T00:00:00Z', '/problems/invalid-parameter'],
    ['until=yesterday', '/problems/invalid-parameter'],
    ['since=2026-02-02T00:00:00Z&until=2026-02-01T00:00:00Z', '/problems/invalid-parameter'],
    ['path=planType', '/problems/invalid-parameter'],
    ['path=/a~2b', '/problems/invalid-parameter'],
    ['type=created,renamed', '/problems/invalid-parameter'],
    ['type=', '/problems/invalid-parameter'],
    ['limit=0', '/problems/invalid-parameter'],
    ['limit=1001', '/problems/invalid-parameter'],
    ['limit=ten', '/problems/invalid-parameter'],
    ['format=xml', '/problems/invalid-parameter'],
    ['planId=', '/problems/invalid-parameter'],
    ['colour=blue', '/problems/invalid-parameter'],
    ['limit=1&limit=2', '/problems/invalid-parameter'],
  ];
  for (const [query, type] of cases) {
    const response = await side.auditor.get<{ type: string; status: number }>(`/v1/changes?${query}`);
    t.is(response.status, 400, query);
    t.is(response.body.type, type, query);
    t.regex(response.headers.get('content-type') ?? '', /^application\/problem\+json/, query);
  }
  t.is((await side.reader.get('/v1/changes')).status, 403, 'plans:read is not enough');
  t.is((await text('/v1/changes', { accept: 'text/html' })).status, 406);
  t.is((await text('/v1/changes?format=csv&cursor=abc')).status, 400, 'exports do not page');
});

test('GET /v1/changes › NDJSON and CSV stream every matching change, the same as the JSON pages', async (t) => {
  const paged = await pages(side.auditor, `/v1/changes?${ours}&limit=1`);
  const ndjson = await text(`/v1/changes?${ours}&format=ndjson`);
  t.is(ndjson.status, 200);
  t.regex(ndjson.type, /^application\/x-ndjson/);
  t.true(ndjson.body.endsWith('\n'));
  t.deepEqual(ndjson.body.trimEnd().split('\n').map((line) => JSON.parse(line) as Change), paged);
  const byAccept = await text(`/v1/changes?${ours}`, { accept: 'application/x-ndjson' });
  t.is(byAccept.body, ndjson.body);
  const csv = await text(`/v1/changes?${ours}`, { accept: 'text/csv' });
  t.regex(csv.type, /^text\/csv/);
  const [header, ...rows] = parseCsv(csv.body);
  t.deepEqual(header, ['position', 'org', 'planId', 'version', 'type', 'at', 'clientId', 'subject', 'reason', 'requestId', 'changes']);
  t.deepEqual(rows, paged.map((c) => [c.position, c.org, c.planId, String(c.version), c.type, c.at, c.actor.clientId, c.actor.subject ?? '', c.reason ?? '', c.requestId, c.changes.join(' | ')]));
  t.is((await text('/v1/changes?format=csv&org=*')).status, 403);
});

test('X-Change-Reason › UTF-8 up to 500 characters is stored; too long, control characters, not UTF-8 or twice is 400 and writes nothing', async (t) => {
  const plan = aPlan({ id: `chg-${run}-reason` });
  const path = `/v1/plans/${plan.objectId}`;
  t.is((await side.writer.post('/v1/plans', plan)).status, 201);
  // node:http sends a header string's characters as bytes (latin1), so UTF-8 text goes out as its
  // bytes — unless headers and a string body share one write (then all of it is UTF-8): the body is a Buffer.
  const raw = (reason: string | string[]) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(side.baseUrl);
      const body = JSON.stringify({ planType: `t-${randomUUID()}` });
      const headers = { authorization: `Bearer ${writerToken}`, 'content-type': 'application/merge-patch+json', 'if-match': '*', 'x-change-reason': reason };
      const outgoing = httpRequest({ host: url.hostname, port: url.port, method: 'PATCH', path, headers }, (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      outgoing.on('error', reject);
      outgoing.end(Buffer.from(body));
    });
  const writerToken = await devToken(side.issuer, 'dev-writer');
  const utf8 = (value: string) => Buffer.from(value, 'utf8').toString('latin1');
  const fine = 'Zuzahlung korrigiert – Ticket #42 ✓';
  const accepted = await raw(utf8(fine));
  t.is(accepted.status, 200, accepted.body);
  t.is((await raw(utf8('é'.repeat(500)))).status, 200, '500 characters of two bytes each');
  for (const [name, value] of [['501 characters', 'x'.repeat(501)], ['a tab', 'a\tb'], ['C1 control', utf8('a\u0085b')], ['latin1, not UTF-8', 'caf\u00e9'], ['overlong UTF-8', '\u00c0\u00af']] as const) {
    const refused = await raw(value);
    t.is(refused.status, 400, name);
    t.like(JSON.parse(refused.body), { type: '/problems/invalid-change-reason', status: 400 }, name);
  }
  t.is((await raw(['one', 'two'])).status, 400, 'given twice');
  const history = await side.auditor.get<{ latest: number; events: Change[] }>(`${path}/history`);
  t.is(history.body.latest, 3, 'nothing refused was written');
  t.deepEqual(history.body.events.map((e) => e.reason), [undefined, fine, 'é'.repeat(500)]);
});

test('actor › a token with client_id, sub, email and an RFC 8693 act claim is recorded as such in history', async (t) => {
  const [jwk] = (await loadOrCreateKeys({ dir: side.idpDataDir })).jwks.keys;
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ iss: side.issuer, aud: AUDIENCE, sub: 'alice', client_id: 'claims-portal', email: 'alice@example.com', act: { sub: 'agent-7', client_id: 'helpdesk' }, scope: 'plans:read plans:write', org: 'example.com', jti: randomUUID(), iat: now, exp: now + 300 })
    .setProtectedHeader({ alg: 'RS256', kid: String(jwk?.kid), typ: 'at+jwt' })
    .sign(await importJWK(jwk as JWK, 'RS256'));
  const plan = aPlan({ id: `chg-${run}-act` });
  const created = await fetch(`${side.baseUrl}/v1/plans`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-change-reason': 'on behalf of alice' }, body: JSON.stringify(plan) });
  t.is(created.status, 201);
  const history = await side.auditor.get<{ events: Change[] }>(`/v1/plans/${plan.objectId}/history`);
  t.deepEqual(history.body.events[0]?.actor, { clientId: 'claims-portal', subject: 'alice', email: 'alice@example.com', act: { sub: 'agent-7', client_id: 'helpdesk' } });
  t.is(history.body.events[0]?.reason, 'on behalf of alice');
  const byActor = await pages(side.auditor, `/v1/changes?actor=alice&planId=${plan.objectId}`);
  t.is(byActor.length, 1, 'actor matches the subject');
  t.is((await pages(side.auditor, `/v1/changes?actor=claims-portal&planId=${plan.objectId}`)).length, 1, 'and the client');
});

test('history › entries are the whole event plus change lines; a delete shows what was deleted', async (t) => {
  const history = await side.auditor.get<{ events: Change[] }>(`/v1/plans/${ids.b}/history`);
  t.deepEqual(history.body.events.map((e) => [e.version, e.type, e.planId, e.org, e.schemaVersion]), [[1, 'created', ids.b, 'example.com', 2], [2, 'patched', ids.b, 'example.com', 2], [3, 'deleted', ids.b, 'example.com', 2]]);
  t.deepEqual(history.body.events[1]?.changes, ['planType: "inNetwork" → "outOfNetwork"']);
  t.is(history.body.events[2]?.deleted?.objectId, ids.b);
  t.is((history.body.events[2]?.deleted as unknown as { planType: string }).planType, 'outOfNetwork');
  t.true(history.body.events.every((e) => typeof e.requestId === 'string' && !('position' in e)));
});
