import { json, schemaRef, header } from './components.js';
import { route } from './describeOperation.js';
import type { JsonSchema, ParameterObject, ResponseObject, RouteDescription } from './openApiTypes.js';

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });

/** Schemas of the admin-operations contract. */
export const ADMIN_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Projection: {
    type: 'object',
    required: ['name', 'target', 'eventsApplied', 'lag', 'partitions', 'deadLetters', 'job'],
    properties: {
      name: { type: 'string' },
      target: { type: 'string', description: 'The live index or generation.' },
      eventsApplied: { type: 'integer', minimum: 0 },
      lag: { type: 'integer', minimum: 0, description: 'Events behind, over every partition.' },
      partitions: {
        type: 'array',
        items: { type: 'object', required: ['partition', 'checkpoint', 'head', 'lag'], properties: { partition: { type: 'integer' }, checkpoint: { type: ['string', 'null'] }, head: { type: ['string', 'null'] }, lag: { type: 'integer', minimum: 0 } } },
      },
      deadLetters: { type: 'integer', minimum: 0, description: 'Dead letters waiting.' },
      job: nullable(schemaRef('Job')),
    },
  },
  Job: {
    type: 'object',
    required: ['id', 'projection', 'kind', 'state', 'phase', 'eventsDone', 'eventsTotal', 'eventsPerSecond', 'etaSeconds', 'startedAt', 'finishedAt', 'result', 'error', 'href'],
    properties: {
      id: { type: 'string' },
      projection: { type: 'string' },
      kind: { enum: ['rebuild', 'verify', 'repair'] },
      state: { enum: ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'], description: '`interrupted`: the process running it died.' },
      phase: { type: 'string' },
      eventsDone: { type: 'integer', minimum: 0 },
      eventsTotal: { type: 'integer', minimum: 0, description: 'Known when the job starts.' },
      eventsPerSecond: { type: 'number', minimum: 0 },
      etaSeconds: { type: ['number', 'null'] },
      startedAt: { type: 'string', format: 'date-time' },
      finishedAt: { type: ['string', 'null'], format: 'date-time' },
      result: { description: 'Null until done. rebuild: `{ target, replaced, events, seconds, phases }`; verify: a `VerificationResult`; repair: `{ repaired, verification }`.', anyOf: [{ type: 'null' }, schemaRef('RebuildResult'), schemaRef('VerificationResult'), schemaRef('RepairResult')] },
      error: { type: ['string', 'null'] },
      href: { type: 'string', format: 'uri-reference' },
    },
  },
  RebuildResult: {
    type: 'object',
    required: ['target', 'replaced', 'events', 'seconds'],
    properties: {
      target: { type: 'string' },
      replaced: {},
      events: { type: 'integer' },
      seconds: { type: 'number' },
      phases: {
        description: 'Seconds each step took: creating the generation, the replay, the switch (with its settle wait), the catch-up pass, dropping the old target. Absent from rebuilds of earlier releases.',
        type: 'object',
        properties: Object.fromEntries(['create', 'replay', 'switch', 'catchUp', 'drop'].map((phase) => [phase, { type: 'number' }])),
      },
    },
  },
  VerificationResult: {
    type: 'object',
    required: ['plans', 'counts', 'mismatches'],
    properties: {
      plans: { type: 'integer', minimum: 0 },
      counts: { type: 'object', required: ['missing', 'extra', 'staleVersion', 'differentContent'], properties: { missing: { type: 'integer' }, extra: { type: 'integer' }, staleVersion: { type: 'integer' }, differentContent: { type: 'integer' } } },
      mismatches: {
        type: 'array',
        maxItems: 100,
        description: 'The first 100 in full.',
        items: { type: 'object', required: ['org', 'planId', 'kind'], properties: { org: { type: 'string' }, planId: { type: 'string' }, kind: { type: 'string' }, expectedVersion: { type: ['integer', 'null'] }, actualVersion: { type: ['integer', 'null'] }, detail: { type: ['string', 'null'] } } },
      },
    },
  },
  RepairResult: { type: 'object', required: ['repaired', 'verification'], properties: { repaired: { type: 'integer', minimum: 0 }, verification: schemaRef('VerificationResult') } },
  DeadLetter: {
    type: 'object',
    required: ['id', 'projection', 'partition', 'org', 'planId', 'version', 'error', 'deliveryCount', 'deadLetteredAt', 'status'],
    properties: {
      id: { type: 'string' },
      projection: { type: 'string' },
      partition: { type: 'integer' },
      org: { type: 'string' },
      planId: { type: 'string' },
      version: { type: 'integer' },
      error: { type: 'string' },
      deliveryCount: { type: 'integer', minimum: 0 },
      deadLetteredAt: { type: 'string', format: 'date-time' },
      status: { enum: ['waiting', 'retried', 'discarded'] },
      discardReason: { type: 'string' },
      discardedBy: { type: 'string' },
    },
  },
};

const tags = ['admin'];
const NAME: ParameterObject = { name: 'name', in: 'path', required: true, description: 'A projection name (see `GET /v1/admin/projections`).', schema: { type: 'string', minLength: 1 } };
const JOB_ID: ParameterObject = { name: 'id', in: 'path', required: true, description: 'A job id.', schema: { type: 'string', minLength: 1 } };
const LETTER_ID: ParameterObject = { name: 'id', in: 'path', required: true, description: 'A dead letter id.', schema: { type: 'string', minLength: 1 } };
const started = (what: string): ResponseObject => ({ description: `Accepted: the ${what} job runs; follow \`Location\`.`, headers: { Location: header('Location') }, content: json(schemaRef('Job')) });
const withEvent: JsonSchema = { allOf: [schemaRef('DeadLetter')], required: ['event'], properties: { event: { type: 'object', description: 'The event that could not be applied.' } } };

/** The admin-operations contract (scope `admin`): projections, their rebuild / verify / repair jobs, and dead letters. */
export function describeAdminRoutes(): RouteDescription[] {
  return [
    route('get', '/v1/admin/projections', {
      operationId: 'listProjections',
      summary: 'Each projection\'s state: target, checkpoints and lag per partition, dead letters, running job',
      tags,
      scope: 'admin',
      responses: { '200': { description: 'Every projection.', content: json({ type: 'object', required: ['projections'], properties: { projections: { type: 'array', items: schemaRef('Projection') } } }) } },
    }),
    route('post', '/v1/admin/projections/:name/rebuilds', {
      operationId: 'startRebuild',
      summary: 'Rebuild a projection from the log into a fresh target, as a job',
      tags,
      scope: 'admin',
      parameters: [NAME],
      responses: { '202': started('rebuild') },
      problems: ['projection-not-found', 'job-running'],
    }),
    route('post', '/v1/admin/projections/:name/verifications', {
      operationId: 'startVerification',
      summary: 'Compare a live projection with the fold of the log, plan by plan, as a job',
      tags,
      scope: 'admin',
      parameters: [NAME],
      responses: { '202': started('verify') },
      problems: ['projection-not-found', 'job-running'],
    }),
    route('post', '/v1/admin/projections/:name/repairs', {
      operationId: 'startRepair',
      summary: 'Re-project the plans a verification found mismatched, then verify again, as a job',
      description: 'Without a body, verifies first.',
      tags,
      scope: 'admin',
      parameters: [NAME],
      requestBody: { required: false, content: json({ type: 'object', required: ['verification'], properties: { verification: { type: 'string', description: 'Id of a finished verify job.' } } }) },
      responses: { '202': started('repair') },
      problems: ['projection-not-found', 'job-running', 'job-not-found', 'invalid-json', 'http-400', 'http-415'],
    }),
    route('get', '/v1/admin/jobs', {
      operationId: 'listJobs',
      summary: 'Jobs, newest first',
      tags,
      scope: 'admin',
      parameters: [{ name: 'projection', in: 'query', description: 'Only this projection\'s jobs.', schema: { type: 'string', minLength: 1 } }],
      responses: { '200': { description: 'The jobs.', content: json({ type: 'object', required: ['jobs'], properties: { jobs: { type: 'array', items: schemaRef('Job') } } }) } },
    }),
    route('get', '/v1/admin/jobs/:id', {
      operationId: 'getJob',
      summary: 'A job\'s progress and result',
      tags,
      scope: 'admin',
      parameters: [JOB_ID],
      responses: { '200': { description: 'The job.', content: json(schemaRef('Job')) } },
      problems: ['job-not-found'],
    }),
    route('delete', '/v1/admin/jobs/:id', {
      operationId: 'cancelJob',
      summary: 'Cancel a running job (the live projection stays untouched)',
      tags,
      scope: 'admin',
      parameters: [JOB_ID],
      responses: { '202': { description: 'Cancelling: the job ends `cancelled`.', content: json(schemaRef('Job')) } },
      problems: ['job-not-found'],
    }),
    route('get', '/v1/admin/dead-letters', {
      operationId: 'listDeadLetters',
      summary: 'Dead letters, paged',
      tags,
      scope: 'admin',
      parameters: [
        { name: 'projection', in: 'query', description: 'Only this projection\'s.', schema: { type: 'string', minLength: 1 } },
        { name: 'limit', in: 'query', description: 'Per page.', schema: { type: 'integer', minimum: 1 } },
        { name: 'cursor', in: 'query', description: 'From the previous page\'s `next`.', schema: { type: 'string' } },
      ],
      responses: {
        '200': { description: 'One page.', headers: { Link: header('Link') }, content: json({ type: 'object', required: ['deadLetters', 'next'], properties: { deadLetters: { type: 'array', items: schemaRef('DeadLetter') }, next: { type: ['string', 'null'] } } }) },
      },
      problems: ['invalid-cursor'],
    }),
    route('get', '/v1/admin/dead-letters/:id', {
      operationId: 'getDeadLetter',
      summary: 'A dead letter with its event',
      tags,
      scope: 'admin',
      parameters: [LETTER_ID],
      responses: { '200': { description: 'The dead letter.', content: json(withEvent) } },
      problems: ['dead-letter-not-found'],
    }),
    route('post', '/v1/admin/dead-letters/:id/retry', {
      operationId: 'retryDeadLetter',
      summary: 'Send a dead letter back to its projection',
      tags,
      scope: 'admin',
      parameters: [LETTER_ID],
      responses: { '202': { description: 'Sent back to its projection\'s queue; the record, now `retried`.', content: json(schemaRef('DeadLetter')) } },
      problems: ['dead-letter-not-found'],
    }),
    route('post', '/v1/admin/dead-letters/retry', {
      operationId: 'retryDeadLetters',
      summary: 'Send every waiting dead letter (of one projection) back',
      tags,
      scope: 'admin',
      requestBody: { required: false, content: json({ type: 'object', properties: { projection: { type: 'string' } } }) },
      responses: { '202': { description: 'How many were sent back.', content: json({ type: 'object', required: ['retried'], properties: { retried: { type: 'integer', minimum: 0 } } }) } },
      problems: ['projection-not-found', 'invalid-json', 'http-400', 'http-415'],
    }),
    route('post', '/v1/admin/dead-letters/:id/discard', {
      operationId: 'discardDeadLetter',
      summary: 'Discard a dead letter, with a reason (recorded)',
      tags,
      scope: 'admin',
      parameters: [LETTER_ID],
      requestBody: { required: true, content: json({ type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 1 } } }) },
      responses: { '200': { description: 'The record, now `discarded`.', content: json(schemaRef('DeadLetter')) } },
      problems: ['dead-letter-not-found', 'invalid-json', 'http-400', 'http-415'],
    }),
  ];
}
