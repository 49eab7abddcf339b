import test from 'ava';
import type { PlanDocument } from '@planledger/core';
import { aPlan } from '../../core/test/planMother.js';
import { randomPrefix } from '../../core/test/redisTestContext.js';
import { startWriteSide, type WriteSide } from './writeSideContext.js';

let side: WriteSide;
test.before(async () => {
  side = await startWriteSide();
});
test.after.always(() => side?.stop());

const tag = randomPrefix('ids');
type Problem = { violations: { pointer: string; message: string }[] };

test('POST /v1/plans › an objectId whose Location would not round-trip is 400 saying why; nothing is appended', async (t) => {
  for (const objectId of ['.', '..', 'a/b', 'a?b', 'a#b', 'a%2Fb', 'a b', ' a', 'a\tb', 'a\u0000b', '']) {
    const plan: PlanDocument = { ...aPlan(), objectId };
    const response = await side.writer.post('/v1/plans', plan);
    t.is(response.status, 400, JSON.stringify(objectId));
    t.regex(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    t.is(response.headers.get('location'), null);
    const violations = (response.body as unknown as Problem).violations;
    t.true(violations.length > 0 && violations.every((v) => v.pointer === '/objectId'), JSON.stringify(violations));
    if (objectId === '..') t.regex(violations[0]?.message ?? '', /URLs drop '\.' and '\.\.' segments/);
    if (objectId === 'a?b') t.regex(violations[0]?.message ?? '', /found "\?"/);
    t.is((await side.log.events({ org: 'example.com', planId: objectId })).length, 0, JSON.stringify(objectId));
  }
  const nested = aPlan();
  (nested.planCostShares as { objectId: string }).objectId = '..';
  const response = await side.writer.post('/v1/plans', nested);
  t.is(response.status, 400);
  t.deepEqual((response.body as unknown as Problem).violations.map((v) => v.pointer), ['/planCostShares/objectId']);
  t.is((await side.log.events({ org: 'example.com', planId: nested.objectId })).length, 0);
});

test('POST /v1/plans › ids with dots, colons and dashes are fine, and the Location reads the plan back', async (t) => {
  for (const objectId of [`${tag}...x`, `urn:${tag}:1`, `.${tag}`]) {
    const plan: PlanDocument = { ...aPlan(), objectId };
    const created = await side.writer.post('/v1/plans', plan);
    t.is(created.status, 201, objectId);
    const location = created.headers.get('location') ?? '';
    t.is(new URL(location, 'http://x').pathname, location, 'the Location survives URL normalisation');
    t.is((await side.reader.get(location)).status, 200, location);
  }
});
