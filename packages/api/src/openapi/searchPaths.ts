import { FILTER_OPS, SEARCH_FIELDS, SEARCH_LIMITS, SORT_FIELDS } from '@planledger/core';
import { BODY_PROBLEMS, header, json, schemaRef } from './components.js';
import { route } from './describeOperation.js';
import type { JsonSchema, ParameterObject, RouteDescription } from './openApiTypes.js';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A filter name: a field of `SEARCH_FIELDS`, optionally with `[op]` of `FILTER_OPS`. */
const FILTER_NAME = `^(${Object.keys(SEARCH_FIELDS).map(escapeRegex).join('|')})(\\[(${FILTER_OPS.join('|')})\\])?$`;

const FIELD_LIST = Object.entries(SEARCH_FIELDS)
  .map(([path, field]) => `\`${path}\` (${field.kind})`)
  .join(', ');

const RESERVED: ParameterObject[] = [
  { name: 'q', in: 'query', description: 'Words to find in service names (full text).', schema: { type: 'string', maxLength: SEARCH_LIMITS.qLength } },
  { name: 'sort', in: 'query', description: `Comma-separated, at most ${SEARCH_LIMITS.sortKeys}, of ${SORT_FIELDS.join(', ')}; \`-\` before a field sorts descending.`, schema: { type: 'string' } },
  { name: 'limit', in: 'query', description: `Hits per page (default ${SEARCH_LIMITS.defaultLimit}).`, schema: { type: 'integer', minimum: 1, maximum: SEARCH_LIMITS.limit } },
  { name: 'cursor', in: 'query', description: 'From the previous page (`cursor`, or inside `next`), with the same sort.', schema: { type: 'string', maxLength: SEARCH_LIMITS.cursorLength } },
  { name: 'include', in: 'query', description: '`document` adds each hit\'s current plan document.', schema: { enum: ['summary', 'document'] } },
  { name: 'consistentWith', in: 'query', description: 'A write\'s X-Consistency-Token: wait (up to 5 s) until the search sees that write; `consistent` says whether it did.', schema: { type: 'string', maxLength: SEARCH_LIMITS.tokenLength } },
  {
    name: 'asOf',
    in: 'query',
    description: 'An RFC 3339 time: the same search over every plan as it was then (needs scope `audit:read` too); each hit\'s `version` and `document` are the plan\'s at that time.',
    schema: { type: 'string', format: 'date-time', maxLength: 64 },
  },
];

const FILTERS: ParameterObject = {
  name: 'filters',
  in: 'query',
  style: 'form',
  explode: true,
  description: `Any other query parameter is a filter \`<field>=value\` or \`<field>[<op>]=value\` with op one of ${FILTER_OPS.join(', ')} (\`in\` takes a comma list), at most ${SEARCH_LIMITS.filters}. Fields: ${FIELD_LIST}.`,
  schema: { type: 'object', propertyNames: { pattern: FILTER_NAME }, additionalProperties: { type: 'string', maxLength: SEARCH_LIMITS.valueLength } },
};

const SEARCH_PAGE: JsonSchema = {
  type: 'object',
  required: ['total', 'items', 'next', 'cursor'],
  properties: {
    total: { type: 'integer', minimum: 0 },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['planId', 'version', 'org', 'planType', 'creationDate', 'score', 'href'],
        properties: {
          planId: { type: 'string' },
          version: { type: 'integer' },
          org: { type: 'string' },
          planType: { type: ['string', 'null'] },
          creationDate: { type: ['string', 'null'] },
          score: { type: ['number', 'null'] },
          href: { type: 'string', format: 'uri-reference' },
          document: { anyOf: [schemaRef('Plan'), { type: 'null' }], description: 'With `include=document`: the current plan (null if deleted since it was indexed), or with `asOf` the plan as it was then.' },
        },
      },
    },
    next: { type: ['string', 'null'], description: 'The next page as a GET href (for a POST too).' },
    cursor: { type: ['string', 'null'] },
    consistent: { type: 'boolean', description: 'With `consistentWith`: whether the write was visible in time.' },
  },
};

const searchAnswer = {
  description: 'One page of matching plans of the token\'s org (of every org for scope `admin`).',
  headers: { Link: header('Link'), 'X-Consistency': { description: 'With `consistentWith`: `visible` or `timeout`.', schema: { enum: ['visible', 'timeout'] } } },
  content: json(SEARCH_PAGE),
};

/** `searchRouter`: `GET /v1/search?<filters>` and `POST /v1/search` with the same as a JSON object. */
export function describeSearchRoutes(): RouteDescription[] {
  return [
    route('get', '/v1/search', {
      operationId: 'searchPlans',
      summary: 'Search plans',
      description: 'Filters on the plan and its nested objects (parent/child), full text, sort and cursor paging.',
      tags: ['search'],
      scope: 'plans:read',
      parameters: [...RESERVED, FILTERS],
      responses: { '200': searchAnswer },
      problems: ['invalid-cursor', 'http-400'],
    }),
    route('post', '/v1/search', {
      operationId: 'searchPlansByBody',
      summary: 'Search plans (parameters as a JSON body)',
      description: 'The members are the GET parameters, keys as they are; values may also be numbers and booleans, `[in]` an array, `sort` an array.',
      tags: ['search'],
      scope: 'plans:read',
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          properties: Object.fromEntries(RESERVED.map((parameter) => [parameter.name, { description: parameter.description }])),
          patternProperties: { [FILTER_NAME]: { type: ['string', 'number', 'boolean', 'array'] } },
        }),
      },
      responses: { '200': searchAnswer },
      problems: [...BODY_PROBLEMS, 'invalid-cursor', 'http-400'],
    }),
  ];
}
