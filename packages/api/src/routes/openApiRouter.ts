import Router from 'koa-router';
import { setProblem } from '../middleware/problemDetails.js';
import { buildOpenApiDocument } from '../openapi/buildOpenApiDocument.js';
import type { OAuthEndpoints } from '../openapi/securityScheme.js';
import { createDocsAssets, DOCS_PAGE } from '../docs/docsAssets.js';
import { acceptQuery } from './queryParameters.js';

export interface OpenApiRouterOptions {
  /** The issuer's endpoints for the OAuth 2.0 security scheme (from its discovery). */
  readonly oauthEndpoints: () => Promise<OAuthEndpoints>;
}

/** `GET /v1/openapi.json` (the api's OpenAPI 3.1 description) and `GET /docs` (it, rendered); no token. */
export function openApiRouter({ oauthEndpoints }: OpenApiRouterOptions): Router {
  const router = new Router();
  const assets = createDocsAssets();
  router.get('/v1/openapi.json', acceptQuery(), async (ctx) => {
    let oauth: OAuthEndpoints;
    try {
      oauth = await oauthEndpoints();
    } catch (error) {
      ctx.set('Retry-After', '5');
      setProblem(ctx, 503, '/problems/unavailable', 'Service unavailable', 'The token issuer\'s discovery document, which names the token endpoint, could not be read; retry shortly.');
      ctx.app.emit('error', error, ctx);
      return;
    }
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = buildOpenApiDocument({ oauth, serverUrl: `${ctx.protocol}://${ctx.host}` });
  });
  router.get('/docs', acceptQuery(), (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = DOCS_PAGE;
  });
  // No acceptQuery here: the OAuth redirect page is called back with the issuer's query parameters.
  router.get('/docs/:asset', async (ctx) => {
    const asset = await assets(ctx.params.asset ?? '');
    if (asset === null) return;
    ctx.type = asset.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = asset.body;
  });
  return router;
}
