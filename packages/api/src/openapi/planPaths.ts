import { PLAN_BASES } from '../routes/plansRouter.js';
import { BODY_PROBLEMS, header, json, parameter, schemaRef } from './components.js';
import { route } from './describeOperation.js';
import type { ParameterObject, ResponseObject, RouteDescription } from './openApiTypes.js';

/** How each mount of the plan routes names its operations, and what it says about itself. */
export const PLAN_BASE_VARIANTS: Record<(typeof PLAN_BASES)[number], { readonly suffix: string; readonly note: string }> = {
  '/v1/plans': { suffix: '', note: 'A plan of the token\'s org.' },
  '/v1/plan': { suffix: 'ViaAlias', note: 'The same as under `/v1/plans` (an alias kept for older clients).' },
  '/v1/orgs/:org/plans': { suffix: 'InOrg', note: 'A plan of the org named in the path: the token\'s own, or any with scope `admin`.' },
};

export const ORG_PATH: ParameterObject = {
  name: 'org',
  in: 'path',
  required: true,
  description: 'The org (tenant), a domain name such as `example.com`; another than the token\'s needs scope `admin`.',
  schema: { type: 'string', minLength: 1 },
};

export const PLAN_ID_PATH: ParameterObject = { name: 'id', in: 'path', required: true, description: 'The plan\'s objectId.', schema: { type: 'string', minLength: 1 } };

/** The path parameters of a plan route under `base`, and its org parameter when the base names one. */
export const basePathParameters = (base: string, ...more: ParameterObject[]): ParameterObject[] => [...(base.includes(':org') ? [ORG_PATH] : []), ...more];

const planBody = { description: 'A whole plan document.', required: true, content: json(schemaRef('Plan')) };

const WRITE_HEADERS = {
  'X-Plan-Version': header('PlanVersion'),
  'X-Consistency-Token': header('ConsistencyToken'),
  'Idempotent-Replayed': header('IdempotentReplayed'),
};

const writtenPlan = (description: string): ResponseObject => ({ description, headers: { ...WRITE_HEADERS, ETag: header('ETag') }, content: json(schemaRef('Plan')) });
/** The answer to a write made with `Prefer: return=minimal`: its headers, no body. */
const writtenMinimal: ResponseObject = { description: 'Written, as preferred with `Prefer: return=minimal`: the headers without the plan.', headers: { ...WRITE_HEADERS, ETag: header('ETag'), 'Preference-Applied': header('PreferenceApplied') } };

const WRITE_PARAMETERS = [parameter('IfMatch'), parameter('IfUnmodifiedSince'), parameter('IdempotencyKey'), parameter('ChangeReason'), parameter('Prefer'), parameter('RequestId')];
const WRITE_PROBLEMS = ['plan-not-found', 'forbidden-org', 'version-conflict', 'http-400', 'http-428', 'idempotency-key-reused', 'invalid-change-reason', 'write-unconfirmed'];

const planSummary = {
  type: 'object',
  required: ['planId', 'org', 'version', 'at', 'planType', 'href'],
  properties: {
    planId: { type: 'string' },
    org: { type: 'string' },
    version: { type: 'integer', minimum: 1 },
    at: { type: 'string', format: 'date-time', description: 'Time of the plan\'s last change.' },
    planType: { type: ['string', 'null'] },
    href: { type: 'string', format: 'uri-reference' },
  },
};

/** `plansRouter`: create, list, read, read one nested object, replace, patch and delete plans, under each of `PLAN_BASES`. */
export function describePlanRoutes(): RouteDescription[] {
  return PLAN_BASES.flatMap((base) => {
    const { suffix, note } = PLAN_BASE_VARIANTS[base];
    const tags = ['plans'];
    const planPath = basePathParameters(base, PLAN_ID_PATH);
    return [
      route('post', base, {
        operationId: `createPlan${suffix}`,
        summary: 'Create a plan',
        description: `${note} The plan's \`objectId\` names it; its \`_org\` must be the org it is created in. Every nested object needs an objectId unique in the plan.`,
        tags,
        scope: 'plans:write',
        parameters: [...basePathParameters(base), parameter('IfNoneMatch'), parameter('IfMatchOnCreate'), parameter('IdempotencyKey'), parameter('ChangeReason'), parameter('RequestId')],
        requestBody: planBody,
        responses: { '201': { ...writtenPlan('Created: the plan as stored, version 1.'), headers: { ...writtenPlan('').headers, Location: header('Location') } } },
        problems: [...BODY_PROBLEMS, 'schema-violation', 'plan-exists', 'forbidden-org', 'version-conflict', 'http-400', 'idempotency-key-reused', 'invalid-change-reason', 'write-unconfirmed'],
      }),
      route('get', base, {
        operationId: `listPlans${suffix}`,
        summary: 'List plans, newest change first',
        description: `${note} Read from the plan directory (eventually consistent with the log), paged by cursor.`,
        tags,
        scope: 'plans:read',
        parameters: [
          ...basePathParameters(base),
          { name: 'limit', in: 'query', description: 'Plans per page (default 50).', schema: { type: 'integer', minimum: 1, maximum: 500 } },
          { name: 'cursor', in: 'query', description: 'From the previous page\'s `next`.', schema: { type: 'string' } },
          { name: 'org', in: 'query', description: 'Another org\'s plans (scope `admin`).', schema: { type: 'string', minLength: 1 } },
        ],
        responses: {
          '200': {
            description: 'One page of the org\'s plans.',
            headers: { Link: header('Link') },
            content: json({ type: 'object', required: ['items', 'next'], properties: { items: { type: 'array', items: planSummary }, next: { type: ['string', 'null'], format: 'uri-reference' } } }),
          },
        },
        problems: ['invalid-cursor', 'forbidden-org'],
      }),
      route('get', `${base}/:id`, {
        operationId: `getPlan${suffix}`,
        summary: 'Read a plan',
        description: `${note} The current version from the log (read-your-writes), or with \`version\` or \`asOf\` a past one (those need scope \`audit:read\` too, and answer no Last-Modified). A plan that was deleted answers 410, one that never existed 404.`,
        tags,
        scope: 'plans:read',
        parameters: [
          ...planPath,
          { name: 'version', in: 'query', description: 'A past version (scope `audit:read`).', schema: { type: 'integer', minimum: 1 } },
          { name: 'asOf', in: 'query', description: 'The version current at this RFC 3339 time (scope `audit:read`).', schema: { type: 'string', format: 'date-time' } },
          parameter('IfNoneMatch'),
          parameter('IfModifiedSince'),
          parameter('IfMatchOnRead'),
          parameter('IfUnmodifiedSince'),
        ],
        responses: {
          '200': { description: 'The plan document.', headers: { ETag: header('ETag'), 'X-Plan-Version': header('PlanVersion'), 'Last-Modified': header('LastModified') }, content: json(schemaRef('Plan')) },
          '304': { description: 'Not modified: the plan is still at an ETag of If-None-Match (or unchanged since If-Modified-Since).', headers: { ETag: header('ETag'), 'X-Plan-Version': header('PlanVersion'), 'Last-Modified': header('LastModified') } },
        },
        problems: ['plan-not-found', 'plan-deleted', 'forbidden-org', 'version-out-of-range', 'version-conflict', 'http-400'],
      }),
      route('get', `${base}/:id/objects/:objectId`, {
        operationId: `getPlanObject${suffix}`,
        summary: 'Read one object nested in a plan, by objectId',
        description: note,
        tags,
        scope: 'plans:read',
        parameters: [...planPath, { name: 'objectId', in: 'path', required: true, description: 'The nested object\'s objectId (or the plan\'s own).', schema: { type: 'string', minLength: 1 } }],
        responses: {
          '200': {
            description: 'The object as it is in the current version.',
            headers: { 'X-Plan-Version': header('PlanVersion') },
            content: json({ anyOf: [schemaRef('Plan'), schemaRef('Plan_membercostshare'), schemaRef('Plan_planservice'), schemaRef('Plan_service')] }),
          },
        },
        problems: ['plan-not-found', 'plan-deleted', 'object-not-found', 'forbidden-org'],
      }),
      route('put', `${base}/:id`, {
        operationId: `replacePlan${suffix}`,
        summary: 'Replace a plan',
        description: `${note} Stored as the minimal JSON Patch from the current version.`,
        tags,
        scope: 'plans:write',
        parameters: [...planPath, ...WRITE_PARAMETERS],
        requestBody: planBody,
        responses: { '200': writtenPlan('Replaced: the plan as stored now.'), '204': writtenMinimal },
        problems: [...BODY_PROBLEMS, ...WRITE_PROBLEMS, 'schema-violation', 'patch-failed'],
      }),
      route('patch', `${base}/:id`, {
        operationId: `patchPlan${suffix}`,
        summary: 'Change part of a plan',
        description: `${note} Three formats, by Content-Type: an RFC 6902 JSON Patch, an RFC 7396 merge patch, or \`application/json\`: a merge where arrays of objects merge by objectId (an object with a new objectId is added, one with a known objectId merged into it).`,
        tags,
        scope: 'plans:write',
        parameters: [...planPath, ...WRITE_PARAMETERS],
        requestBody: {
          required: true,
          content: {
            'application/json-patch+json': { schema: schemaRef('JsonPatch') },
            'application/merge-patch+json': { schema: { type: 'object', description: 'RFC 7396: members replace, null removes, objects merge.' } },
            'application/json': { schema: { type: 'object', description: 'A merge by objectId: a partial plan.' } },
          },
        },
        responses: { '200': writtenPlan('Patched: the plan as stored now.'), '204': writtenMinimal },
        problems: [...BODY_PROBLEMS, ...WRITE_PROBLEMS, 'schema-violation', 'invalid-patch', 'patch-failed'],
      }),
      route('delete', `${base}/:id`, {
        operationId: `deletePlan${suffix}`,
        summary: 'Delete a plan',
        description: `${note} Its history stays readable; reads answer 410 afterwards.`,
        tags,
        scope: 'plans:write',
        parameters: [...planPath, ...WRITE_PARAMETERS],
        responses: { '204': { description: 'Deleted.', headers: WRITE_HEADERS } },
        problems: WRITE_PROBLEMS,
      }),
    ];
  });
}
