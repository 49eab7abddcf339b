import test from 'ava';
import { aPlan } from '../../core/test/planMother.js';
import { startWriteSide, type WriteSide } from './writeSideContext.js';

let side: WriteSide;
test.before(async () => {
  side = await startWriteSide();
});
test.after.always(() => side?.stop());

/** Each client patch that used to crash, reach the library's codes or slip through; as raw JSON text. */
const defects: [string, string, number, string, string, RegExp][] = [
  ['an add with no path', '[{"op":"add","value":1}]', 400, 'invalid-patch', '/0/path', /operation 0 \(add\) has no "path"/],
  ['a null path', '[{"op":"add","path":null,"value":1}]', 400, 'invalid-patch', '/0/path', /"path" must be a string/],
  ['a numeric path', '[{"op":"remove","path":5}]', 400, 'invalid-patch', '/0/path', /not a number/],
  ['a non-string from on move', '[{"op":"move","from":{},"path":"/planType"}]', 400, 'invalid-patch', '/0/from', /"from" must be a string/],
  ['a null operation', '[null]', 400, 'invalid-patch', '/0', /must be an object/],
  ['a number as operation', '[1]', 400, 'invalid-patch', '/0', /not a number/],
  ['a string as operation', '["add"]', 400, 'invalid-patch', '/0', /not a string/],
  ['an array as operation', '[[]]', 400, 'invalid-patch', '/0', /not an array/],
  ['a move into its own child', '[{"op":"move","from":"/linkedPlanServices","path":"/linkedPlanServices/0/linkedService/x"}]', 400, 'invalid-patch', '/0/from', /cannot move into its own child/],
  ['a move of planCostShares into its copay', '[{"op":"move","from":"/planCostShares","path":"/planCostShares/copay"}]', 400, 'invalid-patch', '/0/from', /cannot move into its own child/],
  ['a move from the root', '[{"op":"move","from":"","path":"/planType"}]', 400, 'invalid-patch', '/0/from', /the whole document cannot move/],
  ['an add at a leading-zero index', '[{"op":"add","path":"/linkedPlanServices/01","value":{}}]', 422, 'patch-failed', '/0/path', /'01' in \/linkedPlanServices\/01 is not an array index/],
  ['a test at a leading-zero index', '[{"op":"test","path":"/linkedPlanServices/01/objectType","value":"planservice"}]', 422, 'patch-failed', '/0/path', /is not an array index/],
  ['a replace of a missing member', '[{"op":"test","path":"/planType","value":"inNetwork"},{"op":"replace","path":"/planType","value":"x"},{"op":"replace","path":"/planCostShares/copays","value":1}]', 422, 'patch-failed', '/2/path', /^operation 2 \(replace\): \/planCostShares\/copays does not exist$/],
];

for (const [name, body, status, slug, pointer, message] of defects) {
  test(`PATCH json-patch hardening › ${name} is ${status} problem+json at ${pointer}; the plan is unchanged`, async (t) => {
    const plan = aPlan();
    const path = `/v1/plans/${plan.objectId}`;
    t.is((await side.writer.post('/v1/plans', plan)).status, 201);
    const response = await side.writer.request('PATCH', path, { body, type: 'application/json-patch+json', headers: { 'if-match': '"v1"' } });
    t.is(response.status, status, JSON.stringify(response.body));
    t.regex(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    t.is(response.body.type, `/problems/${slug}`);
    const [violation] = response.body.violations as { pointer: string; message: string }[];
    t.is(violation?.pointer, pointer);
    t.regex(violation?.message ?? '', message);
    t.notRegex(String(response.body.detail), /OPERATION_|TypeError|Cannot read/);
    const read = await side.reader.get(path);
    t.is(read.headers.get('etag'), '"v1"');
    t.deepEqual(read.body, plan);
    const history = await side.auditor.get<{ events: unknown[] }>(`${path}/history`);
    t.is(history.body.events.length, 1);
  });
}

test('PATCH json-patch hardening › a non-string from on replace is ignored and the replace applies', async (t) => {
  const plan = aPlan();
  const path = `/v1/plans/${plan.objectId}`;
  t.is((await side.writer.post('/v1/plans', plan)).status, 201);
  const response = await side.writer.patch(path, [{ op: 'replace', from: 42, path: '/planType', value: 'outOfNetwork' }], 'application/json-patch+json', '"v1"');
  t.is(response.status, 200, JSON.stringify(response.body));
  t.is(response.body.planType, 'outOfNetwork');
  t.is(response.headers.get('etag'), '"v2"');
});
