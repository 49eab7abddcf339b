import { json } from './components.js';
import { route } from './describeOperation.js';
import type { RouteDescription } from './openApiTypes.js';

const check = { type: 'object', required: ['status'], properties: { status: { enum: ['up', 'down'] }, detail: { type: 'string' } } };

/** `healthRouter` and the metrics route: public, no token. */
export function describeHealthRoutes(): RouteDescription[] {
  const readiness = {
    type: 'object',
    required: ['status', 'checks'],
    properties: {
      status: { enum: ['up', 'down'] },
      checks: { type: 'object', additionalProperties: check, description: 'Each dependency (redis, elasticsearch).' },
      lag: {
        type: 'object',
        description: 'Events behind, and the age of the oldest, for the relay and each projection.',
        additionalProperties: { type: 'object', required: ['entries', 'oldestMs'], properties: { entries: { type: 'integer', minimum: 0 }, oldestMs: { type: 'number', minimum: 0 } } },
      },
      unavailable: { type: 'string', description: 'Why the lag could not be read.' },
    },
  };
  return [
    route('get', '/health/live', {
      operationId: 'getLiveness',
      summary: 'The process answers',
      tags: ['health'],
      scope: null,
      responses: { '200': { description: 'Up.', content: json({ type: 'object', required: ['status'], properties: { status: { const: 'up' } } }) } },
    }),
    route('get', '/health/ready', {
      operationId: 'getReadiness',
      summary: 'Every dependency answers; lag of the relay and projections',
      tags: ['health'],
      scope: null,
      responses: {
        '200': { description: 'Ready.', content: json(readiness) },
        '503': { description: 'A dependency is down (`checks` says which).', content: json(readiness) },
      },
    }),
    route('get', '/metrics', {
      operationId: 'getMetrics',
      summary: 'Prometheus metrics of the api',
      tags: ['health'],
      scope: null,
      responses: { '200': { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
    }),
  ];
}
