import test from 'ava';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createChangeFeed, createPlanAudit, createPlanService, InMemoryEventLog, InMemoryPlanDirectory, PLAN_SCHEMA, type PlanSearch } from '@planledger/core';
import { API_SCOPES } from '@planledger/idp';
import type Router from 'koa-router';
import { buildOpenApiDocument } from '../src/openapi/buildOpenApiDocument.js';
import { templateOf } from '../src/openapi/describeOperation.js';
import { planSchemaComponents } from '../src/openapi/planSchemaComponents.js';
import { PROBLEM_CATALOG } from '../src/openapi/problemCatalog.js';
import { SCOPE_DESCRIPTIONS } from '../src/openapi/securityScheme.js';
import { PROBLEM_TYPES } from '../src/problemTypes.js';
import type { AdminService } from '@planledger/projector';
import { adminDeadLettersRouter } from '../src/routes/adminDeadLettersRouter.js';
import { adminProjectionsRouter } from '../src/routes/adminProjectionsRouter.js';
import { auditRouter } from '../src/routes/auditRouter.js';
import { changesRouter } from '../src/routes/changesRouter.js';
import { healthRouter } from '../src/routes/healthRouter.js';
import { openApiRouter } from '../src/routes/openApiRouter.js';
import { plansRouter } from '../src/routes/plansRouter.js';
import { schemaRouter } from '../src/routes/schemaRouter.js';
import { searchRouter } from '../src/routes/searchRouter.js';

const OAUTH = { issuer: 'http://127.0.0.1:4000', tokenUrl: 'http://127.0.0.1:4000/token', authorizationUrl: 'http://127.0.0.1:4000/auth' };
const document = buildOpenApiDocument({ oauth: OAUTH, serverUrl: 'http://127.0.0.1:3000' });

test('the document › is valid OpenAPI 3.1', async (t) => {
  const validator = new Validator();
  const result = await validator.validate(document as unknown as Record<string, unknown>);
  t.is(validator.version, '3.1');
  t.true(result.valid, JSON.stringify(result.errors, null, 2));
});

test('the document › describes every route the routers serve, each method', (t) => {
  const log = new InMemoryEventLog();
  const plans = createPlanService({ log, now: () => new Date() });
  const audit = createPlanAudit({ log });
  const routers: Router[] = [
    healthRouter({ checks: {} }),
    openApiRouter({ oauthEndpoints: async () => OAUTH }),
    schemaRouter(),
    searchRouter({ search: {} as PlanSearch, plans, audit, consistency: async () => 'invalid' }),
    auditRouter({ audit }),
    changesRouter({ feed: createChangeFeed({ partitions: log.partitionLog, log }) }),
    plansRouter({ plans, audit, directory: new InMemoryPlanDirectory() }),
    // Building the admin routers reads nothing of the service.
    adminProjectionsRouter({ admin: {} as AdminService }),
    adminDeadLettersRouter({ admin: {} as AdminService }),
  ];
  const served = routers.flatMap((router) => router.stack.flatMap((layer) => layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method.toLowerCase()} ${templateOf(layer.path)}`)));
  served.push('get /metrics'); // app.ts's own route
  const described = new Set(Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`)));
  t.true(served.length > 30, `${served.length} routes`);
  t.deepEqual(served.filter((route) => !described.has(route)), []);
});

test('the document › lists every problem type of PROBLEM_TYPES, each answered by some operation with its status', (t) => {
  const answered = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        const schema = response.content?.['application/problem+json']?.schema as { properties?: { type?: { enum?: string[] } } } | undefined;
        for (const type of schema?.properties?.type?.enum ?? []) answered.add(`${status} ${type}`);
      }
    }
  }
  for (const problem of Object.values(PROBLEM_TYPES)) {
    t.truthy(PROBLEM_CATALOG[problem.type.replace('/problems/', '')], problem.type);
    t.true(answered.has(`${problem.status} ${problem.type}`), `${problem.status} ${problem.type}`);
  }
});

test('the document › its Plan schema is the served PLAN_SCHEMA, references moved into components', (t) => {
  const components = planSchemaComponents();
  const back = (schema: unknown): unknown => JSON.parse(JSON.stringify(schema).replace(/#\/components\/schemas\/Plan_/g, '#/$defs/'));
  const { $schema, $id, $defs, description, ...plan } = PLAN_SCHEMA;
  void [$schema, $id, description];
  const { description: ownDescription, ...generated } = components.Plan as Record<string, unknown>;
  t.regex(String(ownDescription), /GET \/v1\/schema\/plan/);
  t.deepEqual(back(generated), plan);
  for (const [name, def] of Object.entries($defs)) t.deepEqual(back(components[`Plan_${name}`]), def, name);
  t.deepEqual(document.components.schemas.Plan, components.Plan);
});

test('the document › its OAuth 2.0 scheme has every scope the identity provider grants, and the configured endpoints', (t) => {
  t.deepEqual(Object.keys(SCOPE_DESCRIPTIONS).sort(), [...API_SCOPES].sort());
  const scheme = document.components.securitySchemes.oauth2 as { flows: Record<string, { tokenUrl: string; authorizationUrl?: string; scopes: object }> };
  t.is(scheme.flows.clientCredentials?.tokenUrl, OAUTH.tokenUrl);
  t.is(scheme.flows.authorizationCode?.authorizationUrl, OAUTH.authorizationUrl);
  t.deepEqual(Object.keys(scheme.flows.authorizationCode?.scopes ?? {}).sort(), [...API_SCOPES].sort());
});

test('the document › every secured operation names one scope the api knows; public ones are health, metrics, docs and OPTIONS', (t) => {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const scopes = (operation?.security ?? []).flatMap((requirement) => requirement.oauth2 ?? []);
      if (scopes.length === 0) t.true(method === 'options' || /^\/(health|metrics|docs|v1\/openapi\.json)/.test(path), `${method} ${path} is public`);
      else t.true(scopes.every((scope) => scope in SCOPE_DESCRIPTIONS), `${method} ${path}`);
    }
  }
});
