import { randomUUID } from 'node:crypto';
import jsonPatch from 'fast-json-patch';
import { canonicalJson, type PlanDocument } from '@planledger/core';
import { aPlan } from '../../../core/test/planMother.js';
import { PATCH_TYPES, type FuzzCase, type IdempotencyCase, type MethodCase, type RaceCase, type ReadCase, type TenantCase, type WriteCase } from './fuzzCaseArbitrary.js';
import { authorizationText, contentTypeText, etagText } from './headerArbitraries.js';
import { idSegment } from './idArbitrary.js';
import { jsonPatchReference } from './jsonPatchReference.js';
import { mergePatchReference, objectIdMergeReference } from './mergePatchReference.js';
import { patchBodyText } from './patchBodyArbitraries.js';
import { planBodyText } from './planBodyArbitrary.js';
import { KNOWN_PARAMETERS, queryText } from './queryArbitraries.js';
import { CaseReport, checkEveryAnswer, hasDuplicateKeys, ifMatchAllows, ifNoneMatchForbids, isImpossibleTime, isPlanDate } from './responseChecks.js';
import { RequestTimedOut, type FuzzRequest, type FuzzResponse } from './sendRequest.js';
import type { FuzzStack } from './startFuzzStack.js';
import type { LogSnapshot } from './logProbe.js';
import { SEARCH_FIELDS } from '@planledger/core';

/** What every case may rely on: the stack, a shared fixture plan with three versions, a deleted plan, and a secret only example.com's plans carry. */
export interface FuzzWorld {
  readonly stack: FuzzStack;
  /** Appears in every seeded example.com plan; never in an answer to another org. */
  readonly marker: string;
  readonly fixture: { readonly id: string; readonly versions: readonly PlanDocument[] };
  readonly deletedId: string;
  /** Serialises cases touching the same plan id (hostile ids are shared between workers). */
  withLocks<T>(ids: readonly string[], work: () => Promise<T>): Promise<T>;
}

export async function seedPlan(world: Pick<FuzzWorld, 'stack' | 'marker'>, id: string, versions: number): Promise<PlanDocument[]> {
  const { plans, seedContext } = world.stack;
  const documents: PlanDocument[] = [];
  const created = await plans.create(aPlan({ id, serviceName: world.marker }), seedContext);
  documents.push(created.document as PlanDocument);
  for (let v = 2; v <= versions; v += 1) documents.push((await plans.patch({ org: 'example.com', planId: id }, 'merge', { planCostShares: { copay: 100 + v } }, { ifMatch: '*' }, seedContext)).document as PlanDocument);
  return documents;
}

const newId = () => `fz-${randomUUID()}`;
const FORMAT_OF_TYPE: Record<string, string> = { 'application/json-patch+json': 'json-patch', 'application/merge-patch+json': 'merge-patch', 'application/json': 'merge' };
/** The patch format a PATCH is read as: its Content-Type's essence (case-insensitive), else the case's own format. */
const formatSent = (base: string | undefined, format: string) => (base === undefined ? format : (FORMAT_OF_TYPE[base.toLowerCase()] ?? format));
const etagOf = (snapshot: LogSnapshot) => (snapshot.document === null ? null : `"v${snapshot.version}"`);
const same = (a: LogSnapshot, b: LogSnapshot) => a.version === b.version && a.historyLength === b.historyLength && a.at === b.at && canonicalJson(a.document) === canonicalJson(b.document);
const parse = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
};

/** Sends one request; a timeout or transport error becomes a violation (never a hang) and a null answer. */
async function exchange(world: FuzzWorld, report: CaseReport, route: string, request: FuzzRequest): Promise<FuzzResponse | null> {
  try {
    const response = await world.stack.sender.send(request);
    checkEveryAnswer(report, route, request, response);
    return response;
  } catch (error) {
    report.fail(error instanceof RequestTimedOut ? 'never a hang' : 'the connection survives', route, `${request.method} ${request.path.slice(0, 200)}: ${(error as Error).message}`);
    return null;
  }
}

function baseHeaders(world: FuzzWorld, auth: Parameters<typeof authorizationText>[0]): Record<string, string> {
  const authorization = authorizationText(auth, world.stack.tokens);
  return authorization === undefined ? {} : { authorization };
}

export async function runFuzzCase(world: FuzzWorld, fuzzCase: FuzzCase): Promise<CaseReport> {
  const report = new CaseReport();
  switch (fuzzCase.kind) {
    case 'write': await runWrite(world, report, fuzzCase); break;
    case 'read': await runRead(world, report, fuzzCase); break;
    case 'method': await runMethod(world, report, fuzzCase); break;
    case 'tenant': await runTenant(world, report, fuzzCase); break;
    case 'idempotency': await runIdempotency(world, report, fuzzCase); break;
    case 'race': await runRace(world, report, fuzzCase); break;
  }
  return report;
}

async function runWrite(world: FuzzWorld, report: CaseReport, c: WriteCase): Promise<void> {
  const own = newId();
  const base = c.alias ? '/v1/plan' : '/v1/plans';
  const { segment, planId: pathId } = idSegment(c.id, own);
  let bodyText: string | undefined;
  let targetId: string | null = pathId;
  let path = `${base}/${segment}`;
  const route = c.method === 'PATCH' ? `PATCH ${c.format}` : c.method;
  if (c.method === 'POST') {
    const postId = c.target === 'hostile' ? (c.id.kind === 'hostile' ? (idSegment(c.id, own).planId ?? '..') : '..') : own;
    bodyText = planBodyText(c.body, postId);
    const parsed = parse(bodyText);
    const objectId = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? (parsed.value as Record<string, unknown>).objectId : undefined;
    targetId = typeof objectId === 'string' ? objectId : null;
    path = base;
  } else if (c.method === 'PUT') bodyText = planBodyText(c.body, own);
  else if (c.method === 'PATCH') bodyText = patchBodyText(c.body, own);

  const seeded = c.method !== 'POST' || c.target === 'existing';
  const lockIds = [own, ...(targetId !== null && targetId !== own ? [targetId] : [])];
  await world.withLocks(lockIds, async () => {
    if (seeded) await seedPlan(world, own, c.versions);
    const before = targetId === null ? null : await world.stack.probe.snapshot(targetId);
    const version = before?.version ?? 0;
    const headers = baseHeaders(world, c.auth);
    if (c.contentType && bodyText !== undefined) headers['content-type'] = contentTypeText(c.contentType);
    if (c.ifMatch) headers['if-match'] = etagText(c.ifMatch, version);
    if (c.ifNoneMatch) headers['if-none-match'] = etagText(c.ifNoneMatch, version);
    if (c.reason) headers['x-change-reason'] = c.reason.header;
    const request: FuzzRequest = { method: c.method, path, headers, ...(bodyText !== undefined ? { body: bodyText } : {}) };
    const response = await exchange(world, report, route, request);
    if (response === null || targetId === null || before === null) return;
    const after = await world.stack.probe.snapshot(targetId);
    const accepted = response.status >= 200 && response.status < 300;
    checkReason(report, route, c, response, before, after);
    if (!accepted) {
      if (!same(before, after)) report.fail('a refused write changes nothing', route, `${response.status} but the plan moved from v${before.version} (${before.historyLength} events) to v${after.version} (${after.historyLength} events)`);
      checkRefusalReasons(report, route, c, response, headers);
      return;
    }
    checkAccepted(world, report, route, c, { request, response, before, after, bodyText, headers });
  });
}

/** X-Change-Reason: an invalid one is never accepted, a valid one never refused for itself, and an appended event carries what was sent. */
function checkReason(report: CaseReport, route: string, c: WriteCase, response: FuzzResponse, before: LogSnapshot, after: LogSnapshot): void {
  const accepted = response.status >= 200 && response.status < 300;
  const problem = String((response.json as { type?: unknown } | undefined)?.type ?? '');
  if (c.reason && !c.reason.valid && accepted) report.fail('an invalid X-Change-Reason is a 400', route, `${response.status} for X-Change-Reason ${JSON.stringify(c.reason.header.slice(0, 80))}`);
  if ((!c.reason || c.reason.valid) && problem === '/problems/invalid-change-reason') report.fail('a valid X-Change-Reason is accepted', route, `refused ${JSON.stringify(c.reason?.header.slice(0, 80) ?? null)}`);
  if (accepted && after.historyLength === before.historyLength + 1 && after.lastEvent?.reason !== (c.reason?.stored ?? undefined)) {
    report.fail('the event carries the X-Change-Reason sent', route, `stored ${JSON.stringify(after.lastEvent?.reason)} for ${JSON.stringify(c.reason?.stored ?? null)}`);
  }
}

/** Refusals that should not have happened: case-insensitive media types and auth schemes. */
function checkRefusalReasons(report: CaseReport, route: string, c: WriteCase, response: FuzzResponse, headers: Record<string, string>): void {
  if (response.status === 415 && c.contentType) {
    const wanted = c.method === 'PATCH' ? Object.values(PATCH_TYPES) : ['application/json'];
    const essence = c.contentType.base.toLowerCase();
    if (wanted.includes(essence) && /^(|; ?charset="?utf-8"?)$/i.test(c.contentType.parameters)) report.fail('media types compare case-insensitively and may carry parameters', route, `415 for Content-Type '${headers['content-type']}'`);
  }
  if (response.status === 401 && c.auth.kind === 'token') report.fail('the auth scheme is case-insensitive; a valid token is accepted', route, `401 for scheme '${c.auth.scheme}'`);
}

function checkAccepted(world: FuzzWorld, report: CaseReport, route: string, c: WriteCase, x: { request: FuzzRequest; response: FuzzResponse; before: LogSnapshot; after: LogSnapshot; bodyText: string | undefined; headers: Record<string, string> }): void {
  const { response, before, after, bodyText, headers } = x;
  const current = etagOf(before);
  if (c.method !== 'POST') {
    if (!ifMatchAllows(headers['if-match'] ?? '', current ?? '"none"')) report.fail('If-Match compares entity tags exactly (strong)', route, `${response.status} for If-Match '${headers['if-match']}' while the plan was at ${current}`);
  }
  if (headers['if-none-match'] !== undefined && ifNoneMatchForbids(headers['if-none-match'], current)) report.fail('If-None-Match is honoured on writes', route, `${response.status} for If-None-Match '${headers['if-none-match']}' while the plan was at ${current}`);
  if (bodyText !== undefined && hasDuplicateKeys(bodyText)) report.fail('duplicate member names are refused', route, `${response.status} for a body with a duplicated member`);

  const body = bodyText === undefined ? undefined : parse(bodyText);
  const value = body?.ok ? body.value : undefined;
  let expected: unknown;
  switch (c.method) {
    case 'POST':
    case 'PUT':
      expected = value;
      break;
    case 'DELETE':
      expected = null;
      break;
    case 'PATCH':
      // The server picks the format by the Content-Type actually sent, which a case may mismatch on purpose.
      if (formatSent(c.contentType?.base, c.format) === 'json-patch') {
        const outcome = jsonPatchReference(before.document, value);
        if (!outcome.ok) {
          report.fail('a JSON Patch the RFC refuses is refused', route, `${response.status} although ${outcome.reason}`);
          return;
        }
        expected = outcome.document;
      } else expected = formatSent(c.contentType?.base, c.format) === 'merge-patch' ? mergePatchReference(before.document, value) : objectIdMergeReference(before.document, value);
  }
  const noop = canonicalJson(expected) === canonicalJson(before.document);
  if (canonicalJson(after.document) !== canonicalJson(expected)) {
    report.fail('an accepted write equals the reference', route, `stored ${canonicalJson(after.document).slice(0, 400)} expected ${canonicalJson(expected).slice(0, 400)}`);
  } else if (noop ? after.version !== before.version || after.historyLength !== before.historyLength : after.version !== before.version + 1 || after.historyLength !== before.historyLength + 1) {
    report.fail('an accepted write appends exactly one event (none for a no-op)', route, `v${before.version}/${before.historyLength} events → v${after.version}/${after.historyLength} events (no-op: ${noop})`);
  }
  if (c.method !== 'DELETE' && response.headers.etag !== `"v${after.version}"`) report.fail('an accepted write answers the new ETag', route, `ETag ${response.headers.etag} for v${after.version}`);
  if (c.method !== 'DELETE' && canonicalJson(response.json) !== canonicalJson(after.document)) report.fail('an accepted write answers the stored document', route, 'body differs from the stored head');
  if (c.method === 'POST') void checkLocation(world, report, response);
}

/** The Location of a created plan round-trips through an ordinary URL parser. */
function checkLocation(_world: FuzzWorld, report: CaseReport, response: FuzzResponse): void {
  const location = response.headers.location ?? '';
  const parsed = new URL(location, 'http://127.0.0.1').pathname;
  if (parsed !== location) report.fail("a created plan's Location round-trips", 'POST', `Location '${location}' is read by URL parsers as '${parsed}'`);
}

function readPath(world: FuzzWorld, c: ReadCase, id: string): string {
  const target = c.target;
  const segment = target === 'fixture' ? encodeURIComponent(world.fixture.id) : target === 'deleted' ? encodeURIComponent(world.deletedId) : target === 'missing' ? encodeURIComponent(newId()) : idSegment(target, id).segment;
  const query = c.route === 'searchPost' ? '' : queryText(c.query.map(([k, v]) => [k, v.replaceAll('$ID', id).replace('$NOW', new Date().toISOString())]), c.rawBrackets);
  const objectId = c.objectId.startsWith('%') ? c.objectId : encodeURIComponent(c.objectId.replaceAll('$ID', id));
  switch (c.route) {
    case 'plan': return `/v1/plans/${segment}${query}`;
    case 'history': return `/v1/plans/${segment}/history${query}`;
    case 'diff': return `/v1/plans/${segment}/diff${query}`;
    case 'objects': return `/v1/plans/${segment}/objects/${objectId}${query}`;
    case 'list': return `/v1/plans${query}`;
    case 'searchGet': return `/v1/search${query}`;
    case 'searchPost': return '/v1/search';
    // Always from a moment ago, so no case scans the whole fuzz log (a second `since` from the case is a 400).
    case 'changes': return `/v1/changes?since=${encodeURIComponent(new Date(Date.now() - 2_000).toISOString())}${query.replace(/^\?/, '&')}`;
  }
}

function isKnownParameter(route: ReadCase['route'], key: string): boolean {
  if (KNOWN_PARAMETERS[route].includes(key)) return true;
  if (route !== 'searchGet' && route !== 'searchPost') return false;
  const [, field = '', op] = /^([^[\]]+)(?:\[(eq|gt|gte|lt|lte|in|exists)\])?$/.exec(key) ?? [];
  return Object.hasOwn(SEARCH_FIELDS, field) && (op !== undefined || !key.includes('['));
}

async function runRead(world: FuzzWorld, report: CaseReport, c: ReadCase): Promise<void> {
  const id = world.fixture.id;
  const headers = baseHeaders(world, c.auth);
  if (c.ifNoneMatch) headers['if-none-match'] = etagText(c.ifNoneMatch, world.fixture.versions.length);
  let body: string | undefined;
  if (c.route === 'searchPost') {
    headers['content-type'] = 'application/json';
    const typed = (v: string) => (c.searchBody === 'typed' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
    body = c.searchBody === 'garbage' ? '[1]' : JSON.stringify(Object.fromEntries(c.query.map(([k, v]) => [k, typed(v.replaceAll('$ID', id))])));
  }
  const route = `${c.method} ${c.route}`;
  const response = await exchange(world, report, route, { method: c.method, path: readPath(world, c, id), headers, ...(body !== undefined ? { body } : {}) });
  if (response === null) return;
  if (c.auth.kind === 'token' && c.auth.actor === 'other' && response.text.includes(world.marker)) report.fail("no answer reveals another org's data", route, "another org's plan content in the answer");
  const ok = response.status >= 200 && response.status < 400;
  const keys = c.query.map(([k]) => k);
  const unknown = keys.filter((k) => !isKnownParameter(c.route, k));
  const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (ok && c.route !== 'searchPost' && (unknown.length > 0 || repeated.length > 0)) report.fail('unknown or repeated query parameters are a 400', route, `${response.status} with unknown [${unknown.join(', ')}] repeated [${repeated.join(', ')}]`);
  const value = (name: string) => c.query.find(([k]) => k === name)?.[1];
  const asOf = value('asOf');
  if (c.route === 'plan' && asOf !== undefined && isImpossibleTime(asOf) && ![400, 401, 403].includes(response.status) && value('version') === undefined) report.fail('an impossible date is a 400', route, `${response.status} for asOf=${asOf}`);
  if (response.status === 400) {
    const detail = String((response.json as { detail?: unknown } | undefined)?.detail ?? '');
    const range = /^(\w+) must be a whole number from (\d+) to (\d+)/.exec(detail);
    const given = range ? value(range[1] ?? '') : undefined;
    if (range && given !== undefined && /^\d+$/.test(given) && BigInt(given) >= BigInt(range[2] ?? 0) && BigInt(given) <= BigInt(range[3] ?? 0)) report.fail('a refusal never contradicts its input', route, `'${detail}' for ${range[1]}=${given}`);
  }
  if ((c.route === 'searchGet' || c.route === 'searchPost') && ok && c.auth.kind === 'token') {
    for (const [key, v] of c.query) {
      if (/^creationDate(\[(eq|gt|gte|lt|lte)\])?$/.test(key) && !isPlanDate(v)) report.fail('a date filter with a value that is not a date is a 400', route, `${response.status} for ${key}=${v}`);
    }
  }
  if (c.target === 'fixture' && response.status === 200 && c.method === 'GET') checkFixtureRead(world, report, route, c, response, value);
  if (c.route === 'plan' && c.query.length === 0 && c.auth.kind === 'token' && (c.target === 'deleted' || c.target === 'missing')) checkGone(report, route, c, response);
}

/** A deleted plan is 410 with the delete's version and time for its own org, 404 for another; a plan that never was is 404. */
function checkGone(report: CaseReport, route: string, c: ReadCase, response: FuzzResponse): void {
  if (c.auth.kind !== 'token') return;
  const expected = c.target === 'deleted' && c.auth.actor !== 'other' ? 410 : 404;
  if (response.status !== expected) report.fail('a deleted plan is 410 for its org, an unknown one 404', route, `${c.target} plan as ${c.auth.actor}: ${response.status}, expected ${expected}`);
  const body = response.json as { version?: unknown; deletedAt?: unknown } | undefined;
  if (expected === 410 && c.method === 'GET' && (body?.version !== 2 || typeof body.deletedAt !== 'string' || Number.isNaN(Date.parse(body.deletedAt)))) report.fail('a 410 names the delete’s version and time', route, response.text.slice(0, 200));
}

/** Time travel and diffs on the fixture agree with the versions it was seeded with. */
function checkFixtureRead(world: FuzzWorld, report: CaseReport, route: string, c: ReadCase, response: FuzzResponse, value: (name: string) => string | undefined): void {
  const versions = world.fixture.versions;
  const at = (v: number): unknown => (v === 0 ? {} : versions[v - 1]);
  if (c.route === 'plan' && value('version') !== undefined && value('asOf') === undefined) {
    const v = Number(value('version'));
    if (canonicalJson(response.json) !== canonicalJson(at(v))) report.fail('?version=N answers version N', route, `version=${value('version')}`);
  }
  if (c.route === 'diff') {
    const diff = response.json as { from?: unknown; to?: unknown; patch?: unknown };
    const from = Number(value('from'));
    const to = Number(value('to'));
    if (diff.from !== from || diff.to !== to) report.fail('a diff answers the versions asked for', route, `from=${value('from')}&to=${value('to')} answered from ${String(diff.from)} to ${String(diff.to)}`);
    else if (at(from) !== undefined && at(to) !== undefined) {
      let result: unknown;
      try {
        result = jsonPatch.applyPatch(structuredClone(at(from)), diff.patch as jsonPatch.Operation[], true).newDocument;
      } catch (error) {
        result = `cannot apply: ${(error as Error).message}`;
      }
      if (canonicalJson(result) !== canonicalJson(at(to))) report.fail('a diff turns version from into version to', route, `from=${from}&to=${to}: patch ${JSON.stringify(diff.patch).slice(0, 300)}`);
    }
  }
}

async function runMethod(world: FuzzWorld, report: CaseReport, c: MethodCase): Promise<void> {
  const id = world.fixture.id;
  const hasBody = ['POST', 'PUT', 'PATCH', 'QUERY', 'PROPFIND'].includes(c.method);
  const headers = { ...baseHeaders(world, c.auth), ...(hasBody ? { 'content-type': 'application/json' } : {}) };
  await exchange(world, report, `${c.method} (any path)`, { method: c.method, path: c.path.replace('$ID', encodeURIComponent(id)), headers, ...(hasBody ? { body: '{}' } : {}) });
}

/** The second tenant acts on an objectId example.com holds, and on one nobody holds: the answers must not differ. */
async function runTenant(world: FuzzWorld, report: CaseReport, c: TenantCase): Promise<void> {
  const taken = newId();
  const free = newId();
  const route = `other ${c.op}`;
  await world.withLocks([taken, free], async () => {
    await seedPlan(world, taken, 2);
    const before = await world.stack.probe.snapshot(taken);
    const ask = async (id: string) => {
      const headers: Record<string, string> = { authorization: `Bearer ${world.stack.tokens.other}` };
      const plan = JSON.stringify(aPlan({ id, org: 'other.example' }));
      const write = (method: string, path: string, body?: string, type = 'application/json') => {
        if (body !== undefined) headers['content-type'] = type;
        if (method !== 'POST') headers['if-match'] = etagText(c.ifMatch, 1);
        if (c.withIdempotencyKey) headers['idempotency-key'] = `k-${id}`;
        return { method, path, headers, ...(body !== undefined ? { body } : {}) };
      };
      const p = `/v1/plans/${encodeURIComponent(id)}`;
      const request: FuzzRequest = {
        post: () => write('POST', '/v1/plans', plan),
        get: () => ({ method: 'GET', path: p, headers }),
        patch: () => write('PATCH', p, '{"planType":"outOfNetwork"}'),
        put: () => write('PUT', p, plan),
        delete: () => write('DELETE', p),
        objects: () => ({ method: 'GET', path: `${p}/objects/${encodeURIComponent(`${id}-pcs`)}`, headers }),
        search: () => ({ method: 'GET', path: `/v1/search?objectId=${encodeURIComponent(id)}`, headers }),
        history: () => ({ method: 'GET', path: `${p}/history`, headers }),
      }[c.op]();
      return exchange(world, report, route, request);
    };
    const onTaken = await ask(taken);
    const onFree = await ask(free);
    const after = await world.stack.probe.snapshot(taken);
    if (!same(before, after)) report.fail("another org's requests never change a plan", route, `example.com's plan moved from v${before.version} to v${after.version}`);
    if (onTaken === null || onFree === null) return;
    if (onTaken.text.includes(world.marker)) report.fail("no answer reveals another org's data", route, "example.com's plan content in the answer");
    const shape = (r: FuzzResponse) => `${r.status} etag=${r.headers.etag ?? '-'} version=${r.headers['x-plan-version'] ?? '-'} type=${String((r.json as { type?: unknown } | undefined)?.type ?? '-')}`;
    if (shape(onTaken) !== shape(onFree)) report.fail("no answer depends on another org's plans", route, `on an objectId example.com holds: ${shape(onTaken)}; on a free one: ${shape(onFree)}`);
  });
}

/** An Idempotency-Key replays the same request and refuses (422) any other, whatever plan it names. */
async function runIdempotency(world: FuzzWorld, report: CaseReport, c: IdempotencyCase): Promise<void> {
  const a = newId();
  const b = newId();
  const key = `k-${randomUUID()}`;
  const route = `idempotency ${c.first}→${c.second}`;
  await world.withLocks([a, b], async () => {
    const headers = { authorization: `Bearer ${world.stack.tokens.writer}`, 'content-type': 'application/json', 'idempotency-key': key };
    const requestFor = (id: string, variant: number, method = c.first): FuzzRequest =>
      method === 'post'
        ? { method: 'POST', path: '/v1/plans', headers, body: JSON.stringify(aPlan({ id, copay: 10 + variant })) }
        : { method: 'PATCH', path: `/v1/plans/${encodeURIComponent(id)}`, headers: { ...headers, 'if-match': '*' }, body: JSON.stringify({ planCostShares: { copay: 10 + variant } }) };
    if (c.first === 'patch') await seedPlan(world, a, 1);
    if (c.first === 'patch' || c.second === 'otherPlan') await seedPlan(world, b, 1);
    const first = await exchange(world, report, route, requestFor(a, 1));
    if (first === null || first.status >= 300) return;
    const second = c.second === 'same' ? requestFor(a, 1) : c.second === 'otherPlan' ? requestFor(b, 1) : c.second === 'otherBody' ? requestFor(a, 2) : requestFor(a, 2, c.first === 'post' ? 'patch' : 'post');
    const target = c.second === 'otherPlan' ? b : a;
    const before = await world.stack.probe.snapshot(target);
    const answer = await exchange(world, report, route, second);
    const after = await world.stack.probe.snapshot(target);
    if (answer === null) return;
    if (c.second === 'same') {
      if (answer.status !== first.status || answer.headers['x-plan-version'] !== first.headers['x-plan-version']) report.fail('a retried request is answered as the first time', route, `first ${first.status} v${first.headers['x-plan-version']}, retry ${answer.status} v${answer.headers['x-plan-version']}`);
      if (!same(before, after)) report.fail('a retried request changes nothing', route, `v${before.version} → v${after.version}`);
      if (!answer.headers['x-consistency-token']) report.fail('a replayed write carries X-Consistency-Token', route, 'missing');
      return;
    }
    if (answer.status !== 422) report.fail('an Idempotency-Key reused for another request is a 422', route, `${answer.status} (${String((answer.json as { detail?: unknown } | null)?.detail ?? '')})`);
    if (!same(before, after)) report.fail('an Idempotency-Key reused for another request changes nothing', route, `v${before.version} → v${after.version}`);
  });
}

/** Concurrent one-field PATCHes with If-Match: * all succeed: * means whatever the current version is. */
async function runRace(world: FuzzWorld, report: CaseReport, c: RaceCase): Promise<void> {
  const id = newId();
  await world.withLocks([id], async () => {
    await seedPlan(world, id, 1);
    const headers = { authorization: `Bearer ${world.stack.tokens.writer}`, 'content-type': 'application/merge-patch+json', 'if-match': '*' };
    const answers = await Promise.all(
      Array.from({ length: c.writers }, (_, i) => exchange(world, report, 'PATCH If-Match * race', { method: 'PATCH', path: `/v1/plans/${encodeURIComponent(id)}`, headers, body: JSON.stringify({ planCostShares: { copay: 1000 + i } }) })),
    );
    const refused = answers.filter((a) => a !== null && a.status !== 200).map((a) => a?.status);
    if (refused.length > 0) report.fail('If-Match: * succeeds under concurrency', 'PATCH If-Match * race', `${c.writers} writers: ${refused.length} refused (${refused.join(', ')})`);
    const after = await world.stack.probe.snapshot(id);
    const accepted = answers.filter((a) => a?.status === 200).length;
    if (after.historyLength !== 1 + accepted) report.fail('an accepted write appends exactly one event (none for a no-op)', 'PATCH If-Match * race', `${accepted} accepted, ${after.historyLength - 1} events`);
  });
}

