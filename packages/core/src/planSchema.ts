/**
 * The JSON Schema (draft 2020-12) every stored plan must satisfy. It is also served to clients
 * (GET /v1/schema/plan), so every part carries a title or description. Every object is closed
 * (`additionalProperties: false`) and every string, number and array is bounded.
 */
const OBJECT_ID = {
  type: 'string',
  description:
    "Identifier of this object, unique within the plan: letters, digits, '.', '_', ':' and '-', not '.' or '..' (it is a URL path segment and must round-trip).",
  minLength: 1,
  maxLength: 128,
  pattern: '^(?!\\.{1,2}$)[A-Za-z0-9._:-]+$',
} as const;

const ORG = {
  type: 'string',
  description: 'Organisation (tenant) that owns the object, as a domain name such as "example.com".',
  minLength: 1,
  maxLength: 253,
  pattern: '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$',
} as const;

const AMOUNT = { type: 'number', minimum: 0, maximum: 1e9 } as const;

const objectTypeOf = <T extends string>(value: T) =>
  ({ type: 'string', description: `Always "${value}".`, const: value }) as const;

export const PLAN_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:planledger:schema:plan:1',
  title: 'Plan',
  description: 'A medical insurance plan: its own cost shares and the services it covers.',
  type: 'object',
  properties: {
    planCostShares: { $ref: '#/$defs/membercostshare', description: 'Cost shares of the plan as a whole.' },
    linkedPlanServices: {
      type: 'array',
      description: 'Services the plan covers, each with its own cost shares.',
      maxItems: 500,
      items: { $ref: '#/$defs/planservice' },
    },
    _org: ORG,
    objectId: OBJECT_ID,
    objectType: objectTypeOf('plan'),
    planType: { type: 'string', description: 'Kind of plan, e.g. "inNetwork".', minLength: 1, maxLength: 256 },
    creationDate: {
      type: 'string',
      description: 'Date the plan was created: MM-DD-YYYY (as in "12-12-2017") or ISO YYYY-MM-DD; a real calendar day (not 02-30-2020).',
      maxLength: 256,
      pattern: '^(?:\\d{2}-\\d{2}-\\d{4}|\\d{4}-\\d{2}-\\d{2})$',
    },
  },
  required: ['planCostShares', 'linkedPlanServices', '_org', 'objectId', 'objectType', 'planType', 'creationDate'],
  additionalProperties: false,
  $defs: {
    membercostshare: {
      title: 'Member cost share',
      description: 'What a member pays: a deductible and a copay, in currency units.',
      type: 'object',
      properties: {
        deductible: { ...AMOUNT, description: 'Deductible, from 0 to 1e9.' },
        copay: { ...AMOUNT, description: 'Copay, from 0 to 1e9.' },
        _org: ORG,
        objectId: OBJECT_ID,
        objectType: objectTypeOf('membercostshare'),
      },
      required: ['deductible', 'copay', '_org', 'objectId', 'objectType'],
      additionalProperties: false,
    },
    service: {
      title: 'Service',
      description: 'A medical service, such as "Yearly physical".',
      type: 'object',
      properties: {
        name: { type: 'string', description: 'Name of the service.', minLength: 1, maxLength: 200 },
        _org: ORG,
        objectId: OBJECT_ID,
        objectType: objectTypeOf('service'),
      },
      required: ['name', '_org', 'objectId', 'objectType'],
      additionalProperties: false,
    },
    planservice: {
      title: 'Plan service',
      description: 'A service as covered by the plan, with the cost shares that apply to it.',
      type: 'object',
      properties: {
        linkedService: { $ref: '#/$defs/service', description: 'The covered service.' },
        planserviceCostShares: { $ref: '#/$defs/membercostshare', description: 'Cost shares for this service.' },
        _org: ORG,
        objectId: OBJECT_ID,
        objectType: objectTypeOf('planservice'),
      },
      required: ['linkedService', 'planserviceCostShares', '_org', 'objectId', 'objectType'],
      additionalProperties: false,
    },
  },
} as const;

export type PlanSchema = typeof PLAN_SCHEMA;
