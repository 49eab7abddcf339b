import test from 'ava';
import { parse } from 'node:querystring';
import { DomainError } from '../src/errors.js';
import { compileSearchQuery } from '../src/adapters/elasticsearch/compileSearchQuery.js';
import { encodeSearchCursor, parseSearchRequest } from '../src/search/parseSearchRequest.js';

const ISSUE_EXAMPLE = 'linkedPlanServices.planserviceCostShares.copay[gte]=100&linkedPlanServices.linkedService.name=well%20baby&planType=inNetwork';
const fromQuery = (query: string) => parseSearchRequest(parse(query));
const compiled = (query: string, org: string | null = 'example.com') => compileSearchQuery(fromQuery(query), { org });
/** The plan-level clauses of a compiled query. */
const planFilters = (query: string) => (compiled(query).query as { bool: { filter: object[] } }).bool.filter;
const boolOf = (query: string) => (compiled(query).query as { bool: Record<string, object[]> }).bool;
const pointersOf = (thrower: () => unknown) => {
  const error = (() => { try { thrower(); } catch (e) { return e; } })();
  if (!(error instanceof DomainError) || !['INVALID_PARAMETER', 'INVALID_CURSOR'].includes(error.code)) throw new Error(`expected an invalid parameter, got ${String(error)}`);
  return error.violations.map((violation) => violation.pointer);
};
const PLAN_ONLY = { term: { plan_join: 'plan' } };
const ORG = { term: { _org: 'example.com' } };

test("parseSearchRequest › the issue's example gives three filters and the defaults", (t) => {
  t.deepEqual(fromQuery(ISSUE_EXAMPLE), {
    filters: [
      { path: 'linkedPlanServices.planserviceCostShares.copay', op: 'gte', values: [100] },
      { path: 'linkedPlanServices.linkedService.name', op: 'eq', values: ['well baby'] },
      { path: 'planType', op: 'eq', values: ['inNetwork'] },
    ],
    q: null, sort: [], limit: 20, cursor: null, include: 'summary', consistentWith: null, asOf: null,
  });
});

test("compileSearchQuery › the issue's example groups both service filters into ONE has_child linkedPlanServices", (t) => {
  t.deepEqual(planFilters(ISSUE_EXAMPLE), [
    PLAN_ONLY,
    ORG,
    { term: { planType: 'inNetwork' } },
    { has_child: { type: 'linkedPlanServices', query: { bool: { filter: [
      { has_child: { type: 'planserviceCostShares', query: { range: { copay: { gte: 100 } } } } },
      { has_child: { type: 'linkedService', query: { term: { 'name.keyword': 'well baby' } } } },
    ] } } } },
  ]);
  const json = JSON.stringify(compiled(ISSUE_EXAMPLE));
  t.is(json.split('"type":"linkedPlanServices"').length - 1, 1);
  t.deepEqual(compiled(ISSUE_EXAMPLE).sort, [{ planKey: 'asc' }]);
  t.deepEqual(compiled(ISSUE_EXAMPLE)._source, ['planId', 'planType', 'creationDate', '_org', 'objectId']);
  t.is(compiled(ISSUE_EXAMPLE).track_total_hits, true);
});

test('compileSearchQuery › filters on the same grandchild share one has_child; a null org searches every org', (t) => {
  const query = 'linkedPlanServices.planserviceCostShares.copay[gt]=10&linkedPlanServices.planserviceCostShares.copay[lt]=20';
  t.deepEqual(planFilters(query)[2], { has_child: { type: 'linkedPlanServices', query: { has_child: { type: 'planserviceCostShares', query: { bool: { filter: [
    { range: { copay: { gt: 10 } } }, { range: { copay: { lt: 20 } } },
  ] } } } } } });
  t.deepEqual((compiled('planType=x', null).query as { bool: { filter: object[] } }).bool.filter, [PLAN_ONLY, { term: { planType: 'x' } }]);
});

test('compileSearchQuery › each operator becomes its clause', (t) => {
  const clause = (query: string) => planFilters(query)[2];
  t.deepEqual(clause('objectId=p1'), { term: { objectId: 'p1' } });
  t.deepEqual(clause('planType[in]=a,b'), { terms: { planType: ['a', 'b'] } });
  t.deepEqual(clause('planType[in]=a&planType[in]=b'), { terms: { planType: ['a', 'b'] } });
  t.deepEqual(clause('creationDate[gte]=01-01-2017'), { range: { creationDate: { gte: '2017-01-01' } } });
  for (const op of ['gt', 'gte', 'lt', 'lte']) {
    t.deepEqual(clause(`planCostShares.copay[${op}]=-1.5`), { has_child: { type: 'planCostShares', query: { range: { copay: { [op]: -1.5 } } } } });
  }
  t.deepEqual(clause('planCostShares.deductible[in]=1,2e3'), { has_child: { type: 'planCostShares', query: { terms: { deductible: [1, 2000] } } } });
  t.deepEqual(clause('linkedPlanServices.linkedService.name[in]=A,B'), { has_child: { type: 'linkedPlanServices', query: { has_child: { type: 'linkedService', query: { terms: { 'name.keyword': ['A', 'B'] } } } } } });
  t.deepEqual(clause('planType[exists]=true'), { exists: { field: 'planType' } });
  t.deepEqual(clause('linkedPlanServices.linkedService.name[exists]=true'), { has_child: { type: 'linkedPlanServices', query: { has_child: { type: 'linkedService', query: { exists: { field: 'name' } } } } } });
});

test('compileSearchQuery › exists=false is a must_not at the plan level: no such child holds the field', (t) => {
  t.deepEqual(boolOf('planType[exists]=false').must_not, [{ exists: { field: 'planType' } }]);
  t.deepEqual(boolOf('linkedPlanServices.planserviceCostShares.copay[exists]=false&linkedPlanServices.objectId=s1'), {
    filter: [PLAN_ONLY, ORG, { has_child: { type: 'linkedPlanServices', query: { term: { objectId: 's1' } } } }],
    must_not: [{ has_child: { type: 'linkedPlanServices', query: { has_child: { type: 'planserviceCostShares', query: { exists: { field: 'copay' } } } } } }],
  });
});

test('compileSearchQuery › q is a scored word search over service names, sorted by relevance then plan key', (t) => {
  const search = compiled('q=%20well%20baby%20');
  t.deepEqual((search.query as { bool: { must: object[] } }).bool.must, [{ has_child: { type: 'linkedPlanServices', score_mode: 'max', query: {
    has_child: { type: 'linkedService', score_mode: 'max', query: { match: { name: { query: 'well baby', operator: 'and' } } } },
  } } }]);
  t.deepEqual(search.sort, [{ _score: 'desc' }, { planKey: 'asc' }]);
  t.deepEqual(compiled('q=x&sort=-planType,objectId').sort, [{ planType: 'desc' }, { objectId: 'asc' }, { planKey: 'asc' }]);
  t.is(fromQuery('q=%20%20').q, null);
});

test('parseSearchRequest › limit, include and consistentWith are read; size is the limit', (t) => {
  const request = fromQuery('limit=7&include=document&consistentWith=tok-1');
  t.like(request, { limit: 7, include: 'document', consistentWith: 'tok-1' });
  t.is(compileSearchQuery(request, { org: 'o' }).size, 7);
});

test('parseSearchRequest › a cursor round-trips into search_after and must fit the sort', (t) => {
  const cursor = encodeSearchCursor(['outOfNetwork', 'plan-3']);
  const request = fromQuery(`sort=-planType&cursor=${cursor}`);
  t.deepEqual(request.cursor, ['outOfNetwork', 'plan-3']);
  t.deepEqual(compileSearchQuery(request, { org: 'o' }).search_after, ['outOfNetwork', 'plan-3']);
  t.false('search_after' in compiled('planType=x'));
  t.deepEqual(pointersOf(() => fromQuery(`cursor=${cursor}`)), ['/cursor'], 'two values for a planId-only sort');
  t.deepEqual(pointersOf(() => fromQuery(`q=x&cursor=${encodeSearchCursor(['a', 'b'])}`)), ['/cursor'], 'the score must be a number');
  for (const bad of ['not base64!', encodeSearchCursor([]).slice(0, 1), Buffer.from('{"a":1}').toString('base64url'), 'x'.repeat(5000)]) {
    t.deepEqual(pointersOf(() => parseSearchRequest({ cursor: bad })), ['/cursor']);
  }
});

test('parseSearchRequest › a date filter takes either accepted format and compares the canonical day', (t) => {
  t.deepEqual(fromQuery('creationDate[gt]=06-01-2030').filters, [{ path: 'creationDate', op: 'gt', values: ['2030-06-01'] }]);
  t.deepEqual(fromQuery('creationDate=2017-12-12').filters, fromQuery('creationDate=12-12-2017').filters);
  t.deepEqual(fromQuery('creationDate[in]=12-12-2017,2018-01-31').filters, [{ path: 'creationDate', op: 'in', values: ['2017-12-12', '2018-01-31'] }]);
  t.deepEqual(parseSearchRequest({ 'creationDate[lte]': '12-31-2019' }).filters, [{ path: 'creationDate', op: 'lte', values: ['2019-12-31'] }]);
  t.deepEqual(fromQuery('creationDate[exists]=true').filters, [{ path: 'creationDate', op: 'exists', values: [true] }]);
  const clause = (query: string) => planFilters(query)[2];
  t.deepEqual(clause('creationDate=12-12-2017'), { term: { creationDate: '2017-12-12' } });
  t.deepEqual(clause('creationDate[lt]=06-01-2030'), { range: { creationDate: { lt: '2030-06-01' } } });
});

test('parseSearchRequest › a date filter value that is not a day is a violation naming the parameter and the value', (t) => {
  const violations = (params: Record<string, unknown>) => {
    try {
      parseSearchRequest(params);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INVALID_PARAMETER') return error.violations;
    }
    throw new Error('expected an invalid parameter');
  };
  t.deepEqual(violations({ 'creationDate[gte]': 'garbage' }), [{ pointer: '/creationDate[gte]', message: '"garbage" is not a date as MM-DD-YYYY or YYYY-MM-DD.' }]);
  t.deepEqual(violations({ creationDate: '02-30-2020' }), [{ pointer: '/creationDate', message: '"02-30-2020" has day 30, but 02/2020 has days 01 to 29.' }]);
  for (const bad of ['', '2017-12-12T00:00:00Z', '12/12/2017', '2017-13-01', '0000-01-01', 'now-1d', '2017-12-12||+1d']) {
    t.deepEqual(violations({ 'creationDate[lt]': bad }).map((v) => v.pointer), ['/creationDate[lt]'], bad);
  }
  t.deepEqual(violations({ 'creationDate[in]': '12-12-2017,nope' }).map((v) => v.message), ['"nope" is not a date as MM-DD-YYYY or YYYY-MM-DD.']);
  t.deepEqual(violations({ creationDate: 20171212 }).map((v) => v.pointer), ['/creationDate']);
});

test('compileSearchQuery › sorting by creationDate sorts days, with the day as the cursor value and undated plans last', (t) => {
  t.deepEqual(compiled('sort=creationDate').sort, [{ creationDate: { order: 'asc', format: 'strict_date', missing: Date.UTC(9999, 11, 31) } }, { planKey: 'asc' }]);
  t.deepEqual(compiled('sort=-creationDate,planType').sort, [
    { creationDate: { order: 'desc', format: 'strict_date', missing: Date.parse('0000-01-01T00:00:00Z') } }, { planType: 'asc' }, { planKey: 'asc' },
  ]);
  const request = fromQuery(`sort=-creationDate&cursor=${encodeSearchCursor(['2017-12-12', 'plan-1'])}`);
  t.deepEqual(compileSearchQuery(request, { org: 'o' }).search_after, ['2017-12-12', 'plan-1']);
  t.notThrows(() => fromQuery(`sort=-creationDate&cursor=${encodeSearchCursor(['0000-01-01', 'plan-1'])}`), 'the undated sort value');
  for (const bad of ['12-12-2017', '2020-02-30', 'x', null, 1513036800000]) {
    t.deepEqual(pointersOf(() => fromQuery(`sort=creationDate&cursor=${encodeSearchCursor([bad, 'plan-1'])}`)), ['/cursor'], String(bad));
  }
});

test('parseSearchRequest › a JSON body with the same keys equals the query-string form', (t) => {
  t.deepEqual(parseSearchRequest({
    'linkedPlanServices.planserviceCostShares.copay[gte]': 100, 'linkedPlanServices.linkedService.name': 'well baby', planType: 'inNetwork',
    'planCostShares.deductible[in]': [1, 2], 'planType[exists]': true, sort: ['-planType', 'objectId'], limit: 5, q: 'baby',
  }), fromQuery(`${ISSUE_EXAMPLE}&planCostShares.deductible[in]=1,2&planType[exists]=true&sort=-planType,objectId&limit=5&q=baby`));
});

test('parseSearchRequest › every problem is reported at once, each at its key', (t) => {
  t.deepEqual(pointersOf(() => fromQuery('nope=1&planType[near]=x&planCostShares.copay=ten&limit=0&sort=name&q=' + 'x'.repeat(201))), [
    '/nope', '/planType[near]', '/planCostShares.copay', '/q', '/sort', '/limit',
  ]);
});

test('parseSearchRequest › rejects what Elasticsearch must never see', (t) => {
  const rejects = (params: Record<string, unknown>, pointer: string, what: string) => t.deepEqual(pointersOf(() => parseSearchRequest(params)), [pointer], what);
  rejects(JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>, '/__proto__', '__proto__');
  rejects({ constructor: 'x' }, '/constructor', 'constructor');
  rejects({ 'planCostShares.prototype': 'x' }, '/planCostShares.prototype', 'prototype segment');
  rejects({ _org: 'other.example' }, '/_org', 'tenancy is not client-searchable');
  rejects({ 'linkedPlanServices.linkedService.name[gte]': 'a' }, '/linkedPlanServices.linkedService.name[gte]', 'range on text');
  rejects({ 'linkedPlanServices.planserviceCostShares.copay[gte]': 'Infinity' }, '/linkedPlanServices.planserviceCostShares.copay[gte]', 'not finite');
  rejects({ 'planCostShares.copay': '0x10' }, '/planCostShares.copay', 'hex');
  rejects({ 'planCostShares.copay': '' }, '/planCostShares.copay', 'empty number');
  rejects({ 'planType[exists]': 'yes' }, '/planType[exists]', 'exists needs true/false');
  rejects({ planType: ['a', 'b'] }, '/planType', 'repeated key');
  rejects({ planType: '' }, '/planType', 'empty value');
  rejects({ planType: 5 }, '/planType', 'a keyword is a string');
  rejects({ planType: { term: 'x' } }, '/planType', 'an object');
  rejects({ planType: 'x'.repeat(257) }, '/planType', 'long value');
  rejects({ 'planType[in]': Array.from({ length: 51 }, (_, i) => `t${i}`).join(',') }, '/planType[in]', 'too many in values');
  rejects({ limit: '101' }, '/limit', 'limit too big');
  rejects({ limit: 2.5 }, '/limit', 'limit not whole');
  rejects({ sort: 'a,b,c,d' }, '/sort', 'too many sort fields');
  rejects({ sort: '-_score' }, '/sort', 'score ascending');
  rejects({ sort: 'planType,-planType' }, '/sort', 'twice');
  rejects({ include: 'everything' }, '/include', 'include');
  rejects({ consistentWith: 'x'.repeat(201) }, '/consistentWith', 'token too long');
  rejects({ q: ['a', 'b'] }, '/q', 'repeated q');
});

test('parseSearchRequest › at most 20 filters, and a flood of keys is refused outright', (t) => {
  const filters = (count: number) => Object.fromEntries(['objectId', 'planType', 'creationDate', 'planCostShares.objectId', 'linkedPlanServices.objectId']
    .flatMap((path) => ['eq', 'gt', 'gte', 'lt', 'lte'].map((op) => [`${path}[${op}]`, path === 'creationDate' ? '2017-12-12' : 'x'])).slice(0, count));
  t.is(parseSearchRequest(filters(20)).filters.length, 20);
  t.deepEqual(pointersOf(() => parseSearchRequest(filters(21))), ['']);
  const flood = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 'x']));
  t.deepEqual(pointersOf(() => parseSearchRequest(flood)), ['']);
});
