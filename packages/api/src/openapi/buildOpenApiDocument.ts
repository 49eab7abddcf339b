import { ADMIN_SCHEMAS, describeAdminRoutes } from './adminPaths.js';
import { describeAuditRoutes, HISTORY_ENTRY } from './auditPaths.js';
import { describeChangesRoutes } from './changesPaths.js';
import { header, SHARED_HEADERS, SHARED_PARAMETERS, SHARED_SCHEMAS } from './components.js';
import { describeDocsRoutes } from './docsPaths.js';
import { describeHealthRoutes } from './healthPaths.js';
import type { HttpMethod, OpenApiDocument, OperationObject, RouteDescription } from './openApiTypes.js';
import { planSchemaComponents } from './planSchemaComponents.js';
import { describePlanRoutes } from './planPaths.js';
import { PROBLEM_CATALOG, problemUri } from './problemCatalog.js';
import { describeSchemaRoutes } from './schemaPaths.js';
import { describeSearchRoutes } from './searchPaths.js';
import { oauthSecurityScheme, type OAuthEndpoints } from './securityScheme.js';

/** Every route the api serves, one describer per router; a new route's description goes next to its router's. */
export const ROUTE_DESCRIBERS: readonly (() => RouteDescription[])[] = [
  describeHealthRoutes,
  describeDocsRoutes,
  describeSchemaRoutes,
  describeSearchRoutes,
  describeAuditRoutes,
  describeChangesRoutes,
  describePlanRoutes,
  describeAdminRoutes,
];

const TAGS = [
  { name: 'plans', description: 'Create, read, change and delete plans; every change is an event in the log.' },
  { name: 'search', description: 'Search the projected index (eventually consistent; `consistentWith` waits for a write).' },
  { name: 'audit', description: 'History, diffs and changes across plans (scope `audit:read`).' },
  { name: 'admin', description: 'Projections, rebuild / verify / repair jobs and dead letters (scope `admin`).' },
  { name: 'schema', description: 'The plan JSON Schema.' },
  { name: 'health', description: 'Liveness, readiness with lag, and metrics (no token).' },
  { name: 'docs', description: 'This description and its rendered page (no token).' },
];

/**
 * `OPTIONS` on any path a route serves answers 204 with `Allow`, without a token (the
 * methodNotAllowed middleware), so every path has it.
 */
function optionsOperation(path: string): OperationObject {
  const id = path.replace(/[{}]/g, '').split(/[^A-Za-z0-9]+/).filter(Boolean).map((part) => part[0]!.toUpperCase() + part.slice(1)).join('');
  return {
    operationId: `options${id}`,
    summary: 'The methods this path supports',
    tags: [],
    security: [],
    responses: { '204': { description: 'No content; `Allow` lists the methods.', headers: { 'X-Request-Id': header('RequestId'), Allow: header('Allow') } } },
  };
}

export interface OpenApiDocumentOptions {
  readonly oauth: OAuthEndpoints;
  /** Where the api is reached (the `servers` entry). */
  readonly serverUrl: string;
  readonly version?: string;
}

/** The OpenAPI 3.1 description of the api, assembled from each router's route descriptions. */
export function buildOpenApiDocument({ oauth, serverUrl, version = '1' }: OpenApiDocumentOptions): OpenApiDocument {
  const paths: Record<string, Partial<Record<HttpMethod, OperationObject>>> = {};
  const operationIds = new Set<string>();
  for (const { path, method, operation } of ROUTE_DESCRIBERS.flatMap((describe) => describe())) {
    const item = (paths[path] ??= {});
    if (item[method]) throw new Error(`${method.toUpperCase()} ${path} is described twice`);
    if (operationIds.has(operation.operationId)) throw new Error(`operationId ${operation.operationId} is used twice`);
    operationIds.add(operation.operationId);
    item[method] = operation;
  }
  for (const [path, item] of Object.entries(paths)) item.options = optionsOperation(path);
  const problems = Object.entries(PROBLEM_CATALOG).map(([slug, entry]) => `- \`${problemUri(slug)}\` (${entry.status}) ${entry.title}: ${entry.description}`);
  return {
    openapi: '3.1.0',
    info: {
      title: 'planledger',
      version,
      description: [
        'An event-sourced store and search for medical insurance plan documents. Every change is kept as an event (a JSON Patch) in the log; reads of a plan come from the log, listings and search from projections of it.',
        'Errors are RFC 9457 `application/problem+json`; `type` is one of:',
        ...problems,
      ].join('\n\n'),
    },
    servers: [{ url: serverUrl }],
    tags: TAGS,
    paths,
    components: {
      schemas: { ...SHARED_SCHEMAS, HistoryEntry: HISTORY_ENTRY, ...planSchemaComponents(), ...ADMIN_SCHEMAS },
      parameters: SHARED_PARAMETERS,
      headers: SHARED_HEADERS,
      securitySchemes: oauthSecurityScheme(oauth),
    },
  };
}
