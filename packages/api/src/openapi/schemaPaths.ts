import { PLAN_SCHEMA } from '@planledger/core';
import { route } from './describeOperation.js';
import type { RouteDescription } from './openApiTypes.js';

/** `schemaRouter`: the plan's JSON Schema, the one this document's `Plan` is generated from. */
export function describeSchemaRoutes(): RouteDescription[] {
  return [
    route('get', '/v1/schema/plan', {
      operationId: 'getPlanSchema',
      summary: 'The JSON Schema every stored plan satisfies',
      description: 'Draft 2020-12; the components `Plan` and `Plan_*` of this document are generated from it.',
      tags: ['schema'],
      scope: 'plans:read',
      responses: {
        '200': {
          description: 'The plan schema.',
          content: { 'application/schema+json': { schema: { type: 'object', required: ['$schema', '$id'], properties: { $id: { const: PLAN_SCHEMA.$id } } } } },
        },
      },
    }),
  ];
}
