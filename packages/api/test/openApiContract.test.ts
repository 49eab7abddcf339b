import test from 'ava';
import { aPlan } from '../../core/test/planMother.js';
import { buildOpenApiDocument } from '../src/openapi/buildOpenApiDocument.js';
import { createOpenApiContract, type Exchange } from './contract/openApiContract.js';

const document = buildOpenApiDocument({ oauth: { issuer: 'http://idp', tokenUrl: 'http://idp/token', authorizationUrl: 'http://idp/auth' }, serverUrl: 'http://api' });
const contract = createOpenApiContract(document as unknown as Record<string, unknown>);
const plan = aPlan({ id: 'p1' });

const created: Exchange = {
  method: 'POST',
  target: '/v1/plans',
  requestHeaders: { authorization: 'Bearer x', 'content-type': 'application/json' },
  requestBody: JSON.stringify(plan),
  status: 201,
  responseHeaders: new Headers({ 'content-type': 'application/json; charset=utf-8', etag: '"v1"', 'x-plan-version': '1', location: '/v1/plans/p1', 'x-request-id': 'r1', 'x-consistency-token': '0:1-0' }),
  responseBody: JSON.stringify(plan),
};
const with_ = (overrides: Partial<Exchange>): Exchange => ({ ...created, ...overrides });
const problem = (status: number, type: string) => ({ status, responseHeaders: new Headers({ 'content-type': 'application/problem+json', 'x-request-id': 'r1' }), responseBody: JSON.stringify({ type, title: 't', status }) });

test('the contract › passes an exchange the document describes', (t) => {
  t.notThrows(() => contract.check(created));
  t.notThrows(() => contract.check(with_({ requestBody: '{"objectId":1}', ...problem(400, '/problems/schema-violation') })));
});

test('the contract › names the operation and the error when the answer disagrees', (t) => {
  t.throws(() => contract.check(with_({ status: 202 })), { message: /POST \/v1\/plans \(operation createPlan\) → 202: status 202 is not documented/ });
  t.throws(() => contract.check(with_({ responseHeaders: new Headers({ 'content-type': 'application/json', 'x-request-id': 'r1' }) })), { message: /response header ETag is required but missing/ });
  t.throws(() => contract.check(with_({ responseBody: JSON.stringify({ ...plan, extra: 1 }) })), { message: /response body: .*must NOT have additional properties/ });
  t.throws(() => contract.check(with_({ responseHeaders: new Headers({ ...Object.fromEntries(created.responseHeaders), etag: 'v1' }) })), { message: /response header ETag/ });
  t.throws(() => contract.check(with_(problem(404, '/problems/plan-exists'))), { message: /status 404 is not documented/ });
  t.throws(() => contract.check(with_(problem(409, '/problems/plan-not-found'))), { message: /\/type must be equal to one of the allowed values/ });
  t.throws(() => contract.check(with_({ responseHeaders: new Headers({ ...Object.fromEntries(created.responseHeaders), 'content-type': 'text/plain' }) })), { message: /response Content-Type text\/plain is not one of application\/json/ });
});

test('the contract › a request the document calls invalid must be refused with a documented 4xx', (t) => {
  t.throws(() => contract.check(with_({ requestBody: '{"objectId":1}' })), { message: /answered 201 to a request the document calls invalid \(request body: .*must have required property/ });
  t.throws(() => contract.check(with_({ requestHeaders: { 'content-type': 'text/plain', authorization: 'Bearer x' } })), { message: /Content-Type text\/plain is not one of application\/json/ });
  t.throws(() => contract.check(with_({ requestHeaders: { 'content-type': 'application/json' } })), { message: /no Authorization header/ });
  const listed = { method: 'GET', requestBody: undefined, requestHeaders: { authorization: 'Bearer x' }, responseHeaders: new Headers({ 'content-type': 'application/json', 'x-request-id': 'r1' }), responseBody: '{"items":[],"next":null}', status: 200 };
  t.notThrows(() => contract.check({ ...created, ...listed, target: '/v1/plans?limit=5' }));
  t.throws(() => contract.check({ ...created, ...listed, target: '/v1/plans?limit=5000' }), { message: /query parameter limit: .*must be <= 500/ });
  t.throws(() => contract.check({ ...created, ...listed, target: '/v1/plans?unknown=1' }), { message: /query parameters unknown are not documented/ });
  t.notThrows(() => contract.check({ ...created, ...listed, target: '/v1/plans?unknown=1', ...problem(400, '/problems/invalid-parameter') }));
});

test('the contract › matches literal path segments before templated ones, and knows no undocumented path', (t) => {
  const retried = { method: 'POST', target: '/v1/admin/dead-letters/retry', requestBody: undefined, requestHeaders: { authorization: 'Bearer x' }, status: 202, responseHeaders: new Headers({ 'content-type': 'application/json', 'x-request-id': 'r1' }), responseBody: '{"retried":2}' };
  t.notThrows(() => contract.check(retried));
  t.throws(() => contract.check({ ...retried, target: '/v1/nowhere' }), { message: /no operation in the document serves POST \/v1\/nowhere/ });
});

test('the contract › checks each NDJSON line of a change export', (t) => {
  const entry = { planId: 'p1', org: 'example.com', version: 1, type: 'created', at: '2026-01-01T00:00:00Z', actor: { clientId: 'dev-writer' }, requestId: 'r', patch: [], position: '0-1' };
  const exported = { method: 'GET', target: '/v1/changes?format=ndjson', requestBody: undefined, requestHeaders: { authorization: 'Bearer x' }, status: 200, responseHeaders: new Headers({ 'content-type': 'application/x-ndjson', 'x-request-id': 'r1' }) };
  t.notThrows(() => contract.check({ ...exported, responseBody: `${JSON.stringify(entry)}\n${JSON.stringify(entry)}\n` }));
  t.throws(() => contract.check({ ...exported, responseBody: `${JSON.stringify(entry)}\n${JSON.stringify({ ...entry, type: 'renamed' })}\n` }), { message: /response line 2: / });
});
