import fc from 'fast-check';
import { authSpec, contentTypeSpec, etagSpec, reasonSpec, type AuthSpec, type ContentTypeSpec, type EtagSpec, type ReasonSpec } from './headerArbitraries.js';
import { idSpec, type IdSpec } from './idArbitrary.js';
import { jsonPatchBody, mergePatchBody, objectIdMergeBody, type PatchBodySpec } from './patchBodyArbitraries.js';
import { planBodySpec, type PlanBodySpec } from './planBodyArbitrary.js';
import { queryFor, READ_ROUTES, type QueryPair, type ReadRoute } from './queryArbitraries.js';

export type PatchFormatName = 'json-patch' | 'merge-patch' | 'merge';
export const PATCH_TYPES: Readonly<Record<PatchFormatName, string>> = { 'json-patch': 'application/json-patch+json', 'merge-patch': 'application/merge-patch+json', merge: 'application/json' };

interface Headers {
  readonly contentType: ContentTypeSpec | null;
  readonly ifMatch: EtagSpec | null;
  readonly ifNoneMatch: EtagSpec | null;
  readonly auth: AuthSpec;
  /** X-Change-Reason, valid or hostile; null: none sent. */
  readonly reason: ReasonSpec | null;
  /** Use the `/v1/plan` alias instead of `/v1/plans`. */
  readonly alias: boolean;
}

export type WriteCase = Headers & { readonly kind: 'write'; readonly versions: number; readonly id: IdSpec } & (
    | { readonly method: 'POST'; readonly target: 'fresh' | 'existing' | 'hostile'; readonly body: PlanBodySpec }
    | { readonly method: 'PUT'; readonly body: PlanBodySpec }
    | { readonly method: 'PATCH'; readonly format: PatchFormatName; readonly body: PatchBodySpec }
    | { readonly method: 'DELETE' }
  );

export type ReadTarget = 'fixture' | 'deleted' | 'missing' | IdSpec;

export interface ReadCase {
  readonly kind: 'read';
  readonly route: ReadRoute;
  readonly method: string;
  readonly target: ReadTarget;
  readonly objectId: string;
  readonly query: readonly QueryPair[];
  readonly rawBrackets: boolean;
  /** POST /v1/search: the pairs as a JSON object (numbers where they parse), or a garbage body. */
  readonly searchBody: 'pairs' | 'typed' | 'garbage';
  readonly auth: AuthSpec;
  readonly ifNoneMatch: EtagSpec | null;
}

export interface MethodCase {
  readonly kind: 'method';
  readonly method: string;
  readonly path: string;
  readonly auth: AuthSpec;
}

export type TenantOp = 'post' | 'get' | 'patch' | 'put' | 'delete' | 'objects' | 'search' | 'history';
export interface TenantCase {
  readonly kind: 'tenant';
  readonly op: TenantOp;
  readonly ifMatch: EtagSpec;
  readonly withIdempotencyKey: boolean;
}

export interface IdempotencyCase {
  readonly kind: 'idempotency';
  readonly first: 'patch' | 'post';
  readonly second: 'same' | 'otherPlan' | 'otherBody' | 'otherMethod';
}

export interface RaceCase {
  readonly kind: 'race';
  readonly writers: number;
}

export type FuzzCase = WriteCase | ReadCase | MethodCase | TenantCase | IdempotencyCase | RaceCase;

/** null most of the time, a value once in a while. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

const headers = (types: readonly string[], ifMatchOdds: number) =>
  fc.record({
    contentType: contentTypeSpec(types),
    ifMatch: fc.option(etagSpec, { freq: ifMatchOdds, nil: null }),
    ifNoneMatch: rarely(etagSpec),
    auth: authSpec('writer'),
    reason: fc.option(reasonSpec, { freq: 2, nil: null }),
    alias: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });

const versions = fc.integer({ min: 1, max: 3 });

const writeCase: fc.Arbitrary<WriteCase> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('write' as const), method: fc.constant('POST' as const), versions, id: fc.constant({ kind: 'own' as const }), target: fc.constantFrom('fresh' as const, 'fresh' as const, 'existing' as const, 'hostile' as const), body: planBodySpec }).chain((c) => headers(['application/json'], 8).map((h) => ({ ...c, ...h, ifMatch: null }))) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('write' as const), method: fc.constant('PUT' as const), versions, id: idSpec, body: planBodySpec }).chain((c) => headers(['application/json'], 10).map((h) => ({ ...c, ...h }))) },
  ...(['json-patch', 'merge-patch', 'merge'] as const).map((format) => ({
    weight: format === 'json-patch' ? 5 : 2,
    arbitrary: fc.record({ kind: fc.constant('write' as const), method: fc.constant('PATCH' as const), format: fc.constant(format), versions, id: idSpec, body: format === 'json-patch' ? jsonPatchBody : format === 'merge-patch' ? mergePatchBody : objectIdMergeBody })
      .chain((c) => headers([PATCH_TYPES[format]], 10).map((h) => ({ ...c, ...h }))),
  })),
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('write' as const), method: fc.constant('DELETE' as const), versions, id: idSpec }).chain((c) => headers(['application/json'], 10).map((h) => ({ ...c, ...h, contentType: null }))) },
);

const readCase: fc.Arbitrary<ReadCase> = fc.constantFrom(...READ_ROUTES).chain((route) =>
  fc.record({
    kind: fc.constant('read' as const),
    route: fc.constant(route),
    method: route === 'searchPost' ? fc.constant('POST') : fc.oneof({ weight: 12, arbitrary: fc.constant('GET') }, { weight: 1, arbitrary: fc.constant('HEAD') }),
    target: fc.oneof({ weight: 10, arbitrary: fc.constant('fixture' as const) }, { weight: 1, arbitrary: fc.constantFrom('deleted' as const, 'missing' as const) }, { weight: 1, arbitrary: idSpec }),
    objectId: fc.constantFrom('$ID', '$ID-pcs', '$ID-lps1', '$ID-svc2', '$ID-pscs2', 'nope', '', '__proto__', '..', '%2e%2e'),
    query: queryFor(route),
    rawBrackets: fc.boolean(),
    searchBody: fc.constantFrom('pairs' as const, 'typed' as const, 'typed' as const, 'garbage' as const),
    auth: authSpec(route === 'history' || route === 'diff' || route === 'plan' || route === 'changes' ? 'auditor' : 'writer'),
    ifNoneMatch: rarely(etagSpec),
  }),
);

const methodCase: fc.Arbitrary<MethodCase> = fc.record({
  kind: fc.constant('method' as const),
  method: fc.constantFrom('TRACE', 'OPTIONS', 'PROPFIND', 'PURGE', 'LINK', 'HEAD', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'QUERY'),
  path: fc.constantFrom('/v1/plans', '/v1/plan', '/v1/plans/$ID', '/v1/plans/$ID/history', '/v1/plans/$ID/diff', '/v1/plans/$ID/objects/x', '/v1/search', '/v1/schema/plan', '/v1', '/', '/health/live', '/v1/plans/', '//v1/plans', '/v1/plans/$ID/', '/V1/PLANS'),
  auth: authSpec('writer'),
});

const tenantCase: fc.Arbitrary<TenantCase> = fc.record({
  kind: fc.constant('tenant' as const),
  op: fc.constantFrom<TenantOp>('post', 'post', 'get', 'patch', 'put', 'delete', 'objects', 'search', 'history'),
  ifMatch: fc.constantFrom<EtagSpec>({ kind: 'current' }, { kind: 'star' }, { kind: 'next' }),
  withIdempotencyKey: fc.boolean(),
});

const idempotencyCase: fc.Arbitrary<IdempotencyCase> = fc.record({
  kind: fc.constant('idempotency' as const),
  first: fc.constantFrom('patch' as const, 'post' as const),
  second: fc.constantFrom('same' as const, 'otherPlan' as const, 'otherBody' as const, 'otherMethod' as const),
});

const raceCase: fc.Arbitrary<RaceCase> = fc.record({ kind: fc.constant('race' as const), writers: fc.integer({ min: 2, max: 8 }) });

/** Every kind of case, weighted so that writes (the riskiest) dominate. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { weight: 50, arbitrary: writeCase },
  { weight: 30, arbitrary: readCase },
  { weight: 4, arbitrary: methodCase },
  { weight: 6, arbitrary: tenantCase },
  { weight: 4, arbitrary: idempotencyCase },
  { weight: 1, arbitrary: raceCase },
);
