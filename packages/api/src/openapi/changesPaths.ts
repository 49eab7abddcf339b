import { header, schemaRef } from './components.js';
import { route } from './describeOperation.js';
import type { RouteDescription } from './openApiTypes.js';

const CSV_COLUMNS = ['position', 'org', 'planId', 'version', 'type', 'at', 'clientId', 'subject', 'reason', 'requestId', 'changes'];

/** `GET /v1/changes` (audit-trail contract): the org's events across plans, in log order, filtered, paged or streamed. */
export function describeChangesRoutes(): RouteDescription[] {
  const entry = { allOf: [schemaRef('HistoryEntry')], required: ['position'], properties: { position: { type: 'string', description: 'Opaque log position.' } } };
  return [
    route('get', '/v1/changes', {
      operationId: 'listChanges',
      summary: 'The org\'s changes across plans, in log order',
      description: 'Filtered by time, plan, actor, event type and the JSON Pointer a patch touched; JSON pages by cursor, or every matching event streamed as NDJSON or CSV (by `format` or `Accept`), in constant memory.',
      tags: ['audit'],
      scope: 'audit:read',
      parameters: [
        { name: 'since', in: 'query', description: 'Events at or after this RFC 3339 time.', schema: { type: 'string', format: 'date-time' } },
        { name: 'until', in: 'query', description: 'Events before this RFC 3339 time.', schema: { type: 'string', format: 'date-time' } },
        { name: 'planId', in: 'query', description: 'Only this plan\'s events.', schema: { type: 'string', minLength: 1 } },
        { name: 'actor', in: 'query', description: 'Events whose actor\'s clientId or subject is this.', schema: { type: 'string', minLength: 1 } },
        { name: 'type', in: 'query', description: 'Comma-separated event types: created, patched, replaced, deleted.', schema: { type: 'string', pattern: '^(created|patched|replaced|deleted)(,(created|patched|replaced|deleted))*$' } },
        { name: 'path', in: 'query', description: 'A JSON Pointer: events whose patch touches it or anything below it.', schema: { type: 'string', pattern: '^(/.*)?$' } },
        { name: 'limit', in: 'query', description: 'Events per JSON page (default 100).', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
        { name: 'cursor', in: 'query', description: 'From the previous page\'s `next`.', schema: { type: 'string' } },
        { name: 'format', in: 'query', description: '`json` (default), `ndjson` or `csv`; `Accept: application/x-ndjson` or `text/csv` does the same.', schema: { enum: ['json', 'ndjson', 'csv'] } },
        { name: 'org', in: 'query', description: 'Scope `admin`: one org, or `*` for all.', schema: { type: 'string', minLength: 1 } },
      ],
      responses: {
        '200': {
          description: 'JSON: one page and `next`. NDJSON: one entry per line, every match. CSV: a header line, then one row per event (`changes` joined by ` | `).',
          headers: { Link: header('Link') },
          content: {
            'application/json': {
              schema: { type: 'object', required: ['changes', 'next'], properties: { changes: { type: 'array', items: entry }, next: { type: ['string', 'null'] } } },
            },
            'application/x-ndjson': { schema: { type: 'string', description: 'One JSON entry (as in `changes` of the JSON form) per line.', 'x-ndjson-item': entry } },
            'text/csv': { schema: { type: 'string', description: `Columns: ${CSV_COLUMNS.join(', ')}.` } },
          },
        },
      },
      problems: ['invalid-cursor', 'forbidden-org'],
    }),
  ];
}
