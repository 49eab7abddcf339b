import test from 'ava';
import { request as httpRequest } from 'node:http';
import { refOfPlan, type PlanDocument } from '@planledger/core';
import { aPlan } from '../../core/test/planMother.js';
import type { ApiResponse } from './apiClient.js';
import { startWriteSide, type WriteSide } from './writeSideContext.js';

let side: WriteSide;
let small: WriteSide;
test.before(async () => {
  [side, small] = await Promise.all([startWriteSide(), startWriteSide({ limits: { maxJsonDepth: 12, maxBodyBytes: 4096, maxArrayLength: 5, maxPatchOperations: 3, maxQueryLength: 64 } })]);
});
test.after.always(() => Promise.all([side?.stop(), small?.stop()]));

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const MERGE = 'application/json';
type Problem = { type: string; title: string; status: number; detail: string; violations?: { pointer: string; message: string }[] };

async function created(on: WriteSide = side, plan: PlanDocument = aPlan()): Promise<{ plan: PlanDocument; path: string }> {
  const response = await on.writer.post('/v1/plans', plan);
  if (response.status !== 201) throw new Error(`create answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { plan, path: `/v1/plans/${plan.objectId}` };
}
/** Sends a raw body; changes of an existing plan carry `If-Match: "v1"` unless told otherwise (a create carries none). */
const send = (method: string, path: string, body: string, type: string, headers: Record<string, string> = {}, on = side) =>
  on.writer.request<Problem>(method, path, { body, type, headers: { ...(method === 'POST' ? {} : { 'if-match': '"v1"' }), ...headers } });
/** A JSON text nested `depth` levels deep (arrays), as a member value. */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
/** A plan's JSON text with one extra member holding `json`. */
const planWith = (plan: PlanDocument, json: string) => `${JSON.stringify(plan).slice(0, -1)},"extra":${json}}`;

/** The plan is exactly as created: version 1, its ETag, one event in the log. */
async function assertUnchanged(t: { is: (a: unknown, b: unknown, m?: string) => void }, plan: PlanDocument, on = side) {
  const read = await on.reader.get(`/v1/plans/${plan.objectId}`);
  t.is(read.headers.get('etag'), '"v1"', 'same ETag');
  t.is((await on.log.events(refOfPlan(plan))).length, 1, 'no new event');
}
function assertProblem(t: { is: (a: unknown, b: unknown, m?: string) => void; regex: (a: string, r: RegExp, m?: string) => void }, response: ApiResponse<Problem>, status: number, type: string) {
  t.is(response.status, status, JSON.stringify(response.body));
  t.regex(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  t.is(response.body.type, type);
}

for (const depth of [3_000, 100_000]) {
  test(`depth ${depth} › POST, PUT and every PATCH format answer 400 limit-exceeded; nothing changes`, async (t) => {
    const { plan, path } = await created();
    const fresh = aPlan();
    const attempts: [string, string, string, string][] = [
      ['POST', '/v1/plans', planWith(fresh, nested(depth)), MERGE],
      ['PUT', path, planWith(plan, nested(depth)), MERGE],
      ['PATCH', path, `[{"op":"add","path":"/extra","value":${nested(depth)}}]`, JSON_PATCH],
      ['PATCH', path, `{"extra":${nested(depth)}}`, MERGE_PATCH],
      ['PATCH', path, `{"extra":${nested(depth)}}`, MERGE],
      ['PATCH', path, nested(depth), MERGE_PATCH],
    ];
    for (const [method, target, body, type] of attempts) {
      const response = await send(method, target, body, type);
      assertProblem(t, response, 400, '/problems/limit-exceeded');
      t.regex(response.body.detail, /nesting deeper than 32 levels at \/.* \(byte \d+\)/, `${method} ${type}`);
    }
    await assertUnchanged(t, plan);
    t.is((await side.log.events(refOfPlan(fresh))).length, 0);
  });
}

test('depth limit › 32 levels reach the plan schema (its errors name pointers); 33 are refused while parsing', async (t) => {
  const plan = aPlan();
  const under = await send('POST', '/v1/plans', planWith(plan, nested(31)), MERGE);
  assertProblem(t, under, 400, '/problems/schema-violation');
  t.is(under.body.violations?.[0]?.pointer, '/extra/0/0/0/0/0/0/0');
  const over = await send('POST', '/v1/plans', planWith(plan, nested(32)), MERGE);
  assertProblem(t, over, 400, '/problems/limit-exceeded');
  t.is(over.body.violations?.[0]?.pointer, `/extra${'/0'.repeat(31)}`);
});

test('duplicate members › 400 invalid-json naming the member, its pointer and byte; nothing is stored', async (t) => {
  const plan = aPlan();
  const text = JSON.stringify(plan).replace('"copay":23', '"copay":23,"copay":0');
  const response = await send('POST', '/v1/plans', text, MERGE);
  assertProblem(t, response, 400, '/problems/invalid-json');
  const byte = text.indexOf('"copay":0');
  t.is(response.body.detail, `The body is JSON this api refuses: duplicate member 'copay' at /planCostShares/copay (byte ${byte}).`);
  t.deepEqual(response.body.violations, [{ pointer: '/planCostShares/copay', message: `duplicate member 'copay' (byte ${byte})` }]);
  t.is((await side.log.events(refOfPlan(plan))).length, 0);

  const { plan: existing, path } = await created();
  assertProblem(t, await send('PATCH', path, '{"planType":"a","planType":"b"}', MERGE_PATCH), 400, '/problems/invalid-json');
  assertProblem(t, await send('PATCH', path, '[{"op":"replace","op":"add","path":"/planType","value":"x"}]', JSON_PATCH), 400, '/problems/invalid-json');
  await assertUnchanged(t, existing);
});

test('numbers › 1e400 is out of range and 1e-400 underflows: 400 at the pointer; -0 is stored as 0', async (t) => {
  const { plan, path } = await created();
  const huge = await send('PATCH', path, '{"planCostShares":{"copay":1e400}}', MERGE);
  assertProblem(t, huge, 400, '/problems/invalid-json');
  t.regex(huge.body.detail, /number 1e400 is out of range at \/planCostShares\/copay \(byte 27\)/);
  const tiny = await send('PUT', path, JSON.stringify(plan).replace('"copay":23', '"copay":1e-400'), MERGE);
  assertProblem(t, tiny, 400, '/problems/invalid-json');
  t.is(tiny.body.violations?.[0]?.pointer, '/planCostShares/copay');
  t.regex(tiny.body.detail, /underflows to 0/);
  await assertUnchanged(t, plan);

  const negativeZero = aPlan();
  const response = await send('POST', '/v1/plans', JSON.stringify(negativeZero).replace('"copay":23', '"copay":-0'), MERGE);
  t.is(response.status, 201);
  const stored = await side.reader.get<PlanDocument>(`/v1/plans/${negativeZero.objectId}`);
  t.true(Object.is((stored.body.planCostShares as { copay: number }).copay, 0));
});

test('media types › case-insensitive with parameters; another charset or a content coding is 415', async (t) => {
  t.is((await send('POST', '/v1/plans', JSON.stringify(aPlan()), 'APPLICATION/JSON')).status, 201);
  t.is((await send('POST', '/v1/plans', JSON.stringify(aPlan()), 'application/json; charset=utf-8')).status, 201);
  t.is((await send('POST', '/v1/plans', JSON.stringify(aPlan()), 'Application/Json ; Charset="UTF-8"')).status, 201);
  const { plan, path } = await created();
  const patched = await send('PATCH', path, '[{"op":"replace","path":"/planType","value":"outOfNetwork"}]', 'Application/JSON-Patch+JSON; charset=UTF-8');
  t.is(patched.status, 200, 'an upper-case JSON Patch type is read as JSON Patch');
  const merged = await send('PATCH', path, '{"planType":null}', 'APPLICATION/MERGE-PATCH+JSON', { 'if-match': '"v2"' });
  t.deepEqual(merged.body.violations, [{ pointer: '/planType', message: 'is required' }], 'an upper-case merge-patch type is read as RFC 7396');

  const latin1 = await send('POST', '/v1/plans', JSON.stringify(aPlan()), 'application/json; charset=iso-8859-1');
  assertProblem(t, latin1, 415, '/problems/http-415');
  t.regex(latin1.body.detail, /UTF-8 only .* not charset=iso-8859-1/);
  assertProblem(t, await send('POST', '/v1/plans', JSON.stringify(aPlan()), 'application/json; charset'), 415, '/problems/http-415');
  assertProblem(t, await send('POST', '/v1/plans', JSON.stringify(aPlan()), 'application/json', { 'content-encoding': 'gzip' }), 415, '/problems/http-415');
  assertProblem(t, await send('POST', '/v1/plans', JSON.stringify(aPlan()), 'text/plain'), 415, '/problems/http-415');
  t.is((await side.log.events(refOfPlan(plan))).length, 2);
});

test('encoding › invalid UTF-8 is 400; a forbidden key is still 400 forbidden-key', async (t) => {
  const body = Buffer.concat([Buffer.from('{"planType":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
  const response = await side.writer.request<Problem>('POST', '/v1/plans', { body });
  assertProblem(t, response, 400, '/problems/invalid-json');
  t.is(response.body.detail, 'The body is not valid UTF-8.');
  assertProblem(t, await send('POST', '/v1/plans', planWith(aPlan(), '{"__proto__":{"polluted":true}}'), MERGE), 400, '/problems/forbidden-key');
  t.is(({} as Record<string, unknown>).polluted, undefined);
});

test('body bytes › exactly the limit is read; one byte more is 413', async (t) => {
  const at = (plan: PlanDocument, bytes: number) => JSON.stringify(plan).padEnd(bytes, ' ');
  const plan = aPlan();
  t.is((await send('POST', '/v1/plans', at(plan, 1024 * 1024), MERGE)).status, 201);
  const over = aPlan();
  assertProblem(t, await send('POST', '/v1/plans', at(over, 1024 * 1024 + 1), MERGE), 413, '/problems/http-413');
  t.is((await side.log.events(refOfPlan(over))).length, 0);
});

test('array length › 10,000 items reach the plan schema; 10,001 are refused while parsing', async (t) => {
  const items = (length: number) => JSON.stringify(Array.from({ length }, () => 0));
  assertProblem(t, await send('POST', '/v1/plans', planWith(aPlan(), items(10_000)), MERGE), 400, '/problems/schema-violation');
  const over = await send('POST', '/v1/plans', planWith(aPlan(), items(10_001)), MERGE);
  assertProblem(t, over, 400, '/problems/limit-exceeded');
  t.is(over.body.violations?.[0]?.pointer, '/extra/10000');
});

test('patch operations › 1,000 operations apply; 1,001 are 400 and change nothing', async (t) => {
  const { plan, path } = await created();
  const operations = (count: number) => JSON.stringify(Array.from({ length: count }, (_, index) => ({ op: 'replace', path: '/planType', value: `type-${index}` })));
  const over = await send('PATCH', path, operations(1_001), JSON_PATCH);
  assertProblem(t, over, 400, '/problems/limit-exceeded');
  t.regex(over.body.detail, /at most 1000 operations; this one holds 1001/);
  await assertUnchanged(t, plan);
  const under = await send('PATCH', path, operations(1_000), JSON_PATCH);
  t.is(under.status, 200, JSON.stringify(under.body));
  t.is((under.body as unknown as PlanDocument).planType, 'type-999');
});

test('query length › 4,096 bytes of query are read; one more is 414 on any route', async (t) => {
  const { path } = await created();
  const query = (length: number) => `?ignored=${'x'.repeat(length - 'ignored='.length)}`;
  t.not((await side.reader.get(`${path}${query(4096)}`)).status, 414);
  for (const target of [path, '/v1/plans', '/v1/search', '/health/live', '/nowhere']) {
    // `/nowhere` is served by no route, so it is outside the OpenAPI document: unchecked on purpose.
    const response = await side.reader.request<Problem>('GET', `${target}${query(4097)}`, { unchecked: target === '/nowhere' });
    assertProblem(t, response, 414, '/problems/http-414');
    t.regex(response.body.detail, /at most 4096 bytes; this one has 4097/);
  }
});

test('limits are settings › createApp takes them: each is enforced just past its configured value', async (t) => {
  const { plan, path } = await created(small);
  const body = (text: string, type = MERGE_PATCH) => send('PATCH', path, text, type, {}, small);
  t.is((await body(`{"extra":${nested(11)}}`)).status, 400);
  t.is((await body(`{"extra":${nested(11)}}`)).body.type, '/problems/schema-violation', 'depth 12 is read');
  t.is((await body(`{"extra":${nested(12)}}`)).body.type, '/problems/limit-exceeded', 'depth 13 is not');
  t.is((await body('{"extra":[1,2,3,4,5]}')).body.type, '/problems/schema-violation', '5 items are read');
  t.is((await body('{"extra":[1,2,3,4,5,6]}')).body.type, '/problems/limit-exceeded', '6 are not');
  const test3 = JSON.stringify(Array.from({ length: 3 }, () => ({ op: 'test', path: '/planType', value: plan.planType })));
  const test4 = JSON.stringify(Array.from({ length: 4 }, () => ({ op: 'test', path: '/planType', value: plan.planType })));
  t.is((await body(test3, JSON_PATCH)).status, 200);
  t.is((await body(test4, JSON_PATCH)).body.type, '/problems/limit-exceeded');
  t.is((await body(`{"planType":"${'x'.repeat(4096)}"}`)).status, 413);
  t.not((await small.reader.get(`${path}?${'q'.repeat(64)}`)).status, 414);
  t.is((await small.reader.get(`${path}?${'q'.repeat(65)}`)).status, 414);
  await assertUnchanged(t, plan, small);
});

test('body bytes › a body sent in chunks, without a Content-Length, is cut off past the limit: 413 problem+json, nothing written', async (t) => {
  const plan = aPlan();
  const text = JSON.stringify({ ...plan, extra: 'x'.repeat(4096) });
  const { authorization } = small.writer;
  const url = new URL('/v1/plans', small.baseUrl);
  const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { authorization, 'content-type': MERGE, 'transfer-encoding': 'chunked' } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }));
    });
    request.on('error', reject);
    // Chunk by chunk, as a client streaming a body would: the limit is passed in the third.
    const chunks = [text.slice(0, 2000), text.slice(2000, 4000), text.slice(4000)];
    const next = () => {
      const chunk = chunks.shift();
      if (chunk === undefined) return void request.end();
      request.write(chunk, () => setTimeout(next, 20));
    };
    next();
  });
  t.is(answer.status, 413);
  t.regex(answer.type, /^application\/problem\+json/);
  t.is((JSON.parse(answer.body) as Problem).type, '/problems/http-413');
  t.is((await small.log.events(refOfPlan(plan))).length, 0);
});
