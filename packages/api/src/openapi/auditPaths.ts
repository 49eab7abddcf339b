import { PLAN_BASES } from '../routes/plansRouter.js';
import { header, json, schemaRef } from './components.js';
import { route } from './describeOperation.js';
import type { JsonSchema, RouteDescription } from './openApiTypes.js';
import { basePathParameters, PLAN_BASE_VARIANTS, PLAN_ID_PATH } from './planPaths.js';

const EVENT_TYPES = ['created', 'patched', 'replaced', 'deleted'] as const;

/**
 * One event as auditors read it. The audit-trail contract adds `planId`, `reason`, `idempotencyKey`,
 * `schemaVersion`, `changes` (the lines `/diff` shows for n-1 → n), `deleted` and an object actor;
 * they are optional here until that code is merged (events written before it have a string actor).
 */
export const HISTORY_ENTRY: JsonSchema = {
  type: 'object',
  required: ['version', 'type', 'at', 'actor', 'org', 'requestId', 'patch'],
  properties: {
    planId: { type: 'string' },
    org: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    type: { enum: [...EVENT_TYPES] },
    at: { type: 'string', format: 'date-time' },
    actor: { anyOf: [schemaRef('Actor'), { type: 'string', description: 'The token subject, as events before the audit trail recorded it.' }] },
    reason: { type: 'string', maxLength: 500, description: 'The X-Change-Reason of the write.' },
    requestId: { type: 'string' },
    idempotencyKey: { type: 'string' },
    schemaVersion: { type: 'integer' },
    patch: schemaRef('JsonPatch'),
    changes: { type: 'array', items: { type: 'string' }, description: 'Readable lines: path, old value → new value, objects added or removed by objectId.' },
    deleted: { ...schemaRef('Plan'), description: 'On a `deleted` event: the plan as it was before the delete.' },
  },
};

/** `auditRouter`: a plan's history, paged, and the diff between two versions, under each of `PLAN_BASES`. */
export function describeAuditRoutes(): RouteDescription[] {
  return PLAN_BASES.flatMap((base) => {
    const { suffix, note } = PLAN_BASE_VARIANTS[base];
    const planPath = basePathParameters(base, PLAN_ID_PATH);
    return [
      route('get', `${base}/:id/history`, {
        operationId: `getPlanHistory${suffix}`,
        summary: 'Read a plan\'s history, oldest first',
        description: `${note} One entry per event, a deleted plan's too.`,
        tags: ['audit'],
        scope: 'audit:read',
        parameters: [
          ...planPath,
          { name: 'from', in: 'query', description: 'First version of the page (default 1).', schema: { type: 'integer', minimum: 1 } },
          { name: 'limit', in: 'query', description: 'Events per page (default 100).', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
        ],
        responses: {
          '200': {
            description: 'One page of events.',
            headers: { Link: header('Link') },
            content: json({
              type: 'object',
              required: ['planId', 'latest', 'events', 'next'],
              properties: { planId: { type: 'string' }, latest: { type: 'integer', description: 'The plan\'s latest version.' }, events: { type: 'array', items: schemaRef('HistoryEntry') }, next: { type: ['string', 'null'] } },
            }),
          },
        },
        problems: ['plan-not-found', 'forbidden-org'],
      }),
      route('get', `${base}/:id/diff`, {
        operationId: `getPlanDiff${suffix}`,
        summary: 'Compare two versions of a plan',
        description: `${note} Version 0 is the plan before it existed, so \`from=0\` shows the whole creation.`,
        tags: ['audit'],
        scope: 'audit:read',
        parameters: [
          ...planPath,
          { name: 'from', in: 'query', required: true, description: 'The older version (0: before the plan existed).', schema: { type: 'integer', minimum: 0 } },
          { name: 'to', in: 'query', required: true, description: 'The newer version.', schema: { type: 'integer', minimum: 0 } },
        ],
        responses: {
          '200': {
            description: 'The JSON Patch from `from` to `to`, and its readable lines.',
            content: json({
              type: 'object',
              required: ['planId', 'from', 'to', 'patch', 'changes'],
              properties: { planId: { type: 'string' }, from: { type: 'integer' }, to: { type: 'integer' }, patch: schemaRef('JsonPatch'), changes: { type: 'array', items: { type: 'string' } } },
            }),
          },
        },
        problems: ['plan-not-found', 'forbidden-org', 'version-out-of-range'],
      }),
    ];
  });
}
