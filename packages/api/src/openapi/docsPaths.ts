import { route } from './describeOperation.js';
import type { RouteDescription } from './openApiTypes.js';

/** `openApiRouter`: this document and the page that renders it; public, no token. */
export function describeDocsRoutes(): RouteDescription[] {
  return [
    route('get', '/v1/openapi.json', {
      operationId: 'getOpenApiDocument',
      summary: 'This OpenAPI 3.1 description of the api',
      description: 'Import it into Postman (Import → Link) or Bruno (Import collection → OpenAPI V3).',
      tags: ['docs'],
      scope: null,
      responses: { '200': { description: 'The document; `servers` is the address it was fetched from.', content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'info', 'paths'], properties: { openapi: { const: '3.1.0' } } } } } } },
    }),
    route('get', '/docs', {
      operationId: 'getDocsPage',
      summary: 'This document rendered as a readable page (Swagger UI, served by the api itself)',
      tags: ['docs'],
      scope: null,
      responses: { '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } } },
    }),
    route('get', '/docs/:asset', {
      operationId: 'getDocsAsset',
      summary: 'A script, style sheet or image of the docs page',
      tags: ['docs'],
      scope: null,
      parameters: [{ name: 'asset', in: 'path', required: true, description: 'A file the page references.', schema: { type: 'string' } }],
      responses: {
        '200': {
          description: 'The file.',
          content: { 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } }, 'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } }, 'text/html': { schema: { type: 'string' } } },
        },
      },
      problems: ['not-found'],
    }),
  ];
}
