import Koa, { type Middleware } from 'koa';
import Router from 'koa-router';
import type { ChangeFeed, Logger, PlanAudit, PlanDirectory, PlanSearch, PlanService } from '@planledger/core';
import type { AdminService } from '@planledger/projector';
import type { ConsistencyGate } from './consistencyGate.js';
import { createApiMetrics, type ApiMetrics } from './metrics.js';
import { methodNotAllowed } from './middleware/methodNotAllowed.js';
import { problemDetails } from './middleware/problemDetails.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, requestDeadline } from './middleware/requestDeadline.js';
import { requestId } from './middleware/requestId.js';
import { requestLimits, resolveRequestLimits, type RequestLimits } from './requestLimits.js';
import { adminDeadLettersRouter } from './routes/adminDeadLettersRouter.js';
import { adminProjectionsRouter } from './routes/adminProjectionsRouter.js';
import { auditRouter } from './routes/auditRouter.js';
import { changesRouter } from './routes/changesRouter.js';
import { consoleRouter, type ConsoleRouterOptions } from './routes/consoleRouter.js';
import { healthRouter, type ReadinessCheck } from './routes/healthRouter.js';
import { openApiRouter } from './routes/openApiRouter.js';
import type { OAuthEndpoints } from './openapi/securityScheme.js';
import { schemaRouter } from './routes/schemaRouter.js';
import { searchRouter } from './routes/searchRouter.js';
import { plansRouter } from './routes/plansRouter.js';
import { createRouteTable } from './routeTable.js';
import { acceptQuery } from './routes/queryParameters.js';

export interface AppDependencies {
  readonly plans: PlanService;
  readonly audit: PlanAudit;
  /** Every org's events in log order, for `/v1/changes`. */
  readonly changes: ChangeFeed;
  /** The read model behind listings (eventually consistent with the log). */
  readonly directory: PlanDirectory;
  readonly search: PlanSearch;
  /** Lets a search wait until a given write is visible. */
  readonly consistency: ConsistencyGate;
  readonly logger: Logger;
  readonly readiness: Record<string, ReadinessCheck>;
  /** Verifies the bearer token and sets `ctx.state.principal`; every route but health and metrics sits behind it. */
  readonly authenticate: Middleware;
  /** Where request and append latencies and lag are recorded (a fresh registry when omitted). */
  readonly metrics?: ApiMetrics;
  /** Extra detail for `/health/ready` (e.g. relay and projection lag); never fails readiness. */
  readonly readinessDetails?: () => Promise<object>;
  /** Transport limits (body bytes, JSON depth and array length, patch operations, query length); defaults for any not given. */
  readonly limits?: Partial<RequestLimits>;
  /** Admin operations (projections, jobs, dead letters) under `/v1/admin`; absent: those routes are not served. */
  readonly admin?: AdminService;
  /** The token issuer's endpoints for the OpenAPI document's OAuth 2.0 scheme (`discoverOAuthEndpoints`). */
  readonly oauthEndpoints: () => Promise<OAuthEndpoints>;
  /** The web console's files, served at `/console` without a token (not served when omitted). */
  readonly console?: ConsoleRouterOptions;
  /** Every request is answered within this many ms (503 past it; see `requestDeadline`). */
  readonly requestTimeoutMs?: number;
}

/** The api as a Koa application: no listening, no environment. `main.ts` wires and listens. */
export function createApp({ plans, audit, changes, directory, search, consistency, logger, readiness, authenticate, metrics = createApiMetrics(), readinessDetails, limits, admin, oauthEndpoints, console: consoleFiles, requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS }: AppDependencies): Koa {
  const held = resolveRequestLimits(limits);
  const app = new Koa();
  app.silent = true;
  app.on('error', (error: unknown, ctx?: Koa.Context) => {
    logger.error({ err: error, requestId: ctx?.state.requestId, method: ctx?.method, path: ctx?.path }, 'request failed');
  });

  const healthRoutes = healthRouter({ checks: readiness, ...(readinessDetails ? { details: readinessDetails } : {}) });
  const metricsRoutes = new Router().get('/metrics', acceptQuery(), async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.text();
  });
  const docsRoutes = openApiRouter({ oauthEndpoints });
  // Behind the token, in match order.
  const securedRoutes = [
    schemaRouter(),
    searchRouter({ search, plans, audit, consistency }),
    auditRouter({ audit }),
    changesRouter({ feed: changes }),
    plansRouter({ plans, audit, directory }),
    ...(admin ? [adminProjectionsRouter({ admin }), adminDeadLettersRouter({ admin })] : []),
  ];
  app.use(requestId);
  app.use(metrics.middleware);
  app.use(problemDetails);
  app.use(requestDeadline(requestTimeoutMs));
  app.use(requestLimits(held));
  // One route table per side of the token, each holding its routers' routes in order: a request
  // is matched once per table (for Allow and for dispatch alike), not once per router.
  const publicRoutes = createRouteTable(mergeRouters([healthRoutes, metricsRoutes, docsRoutes]));
  const tokenRoutes = createRouteTable(mergeRouters(securedRoutes));
  app.use(methodNotAllowed([publicRoutes, tokenRoutes]));
  app.use(publicRoutes.routes);
  if (consoleFiles) app.use(consoleRouter(consoleFiles));
  app.use(authenticate);
  app.use(tokenRoutes.routes);
  return app;
}

/** The routes of `routers`, in their order, as one router (none of them has middleware of its own or a prefix). */
function mergeRouters(routers: readonly Router[]): Router {
  const merged = new Router();
  for (const router of routers) merged.use(router.routes());
  return merged;
}
