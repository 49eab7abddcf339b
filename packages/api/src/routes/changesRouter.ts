import { Readable } from 'node:stream';
import type { Context } from 'koa';
import Router from 'koa-router';
import { EVERY_ORG, type ChangeFeed, type ChangeFilter } from '@planledger/core';
import type { Principal } from '../auth/principalFromClaims.js';
import { assertScope, requireScope } from '../middleware/requireScope.js';
import { CSV_COLUMNS, csvRow, exportText, ndjsonLine } from './changesExport.js';
import { CHANGES_PARAMETERS, parseChangesQuery, type ChangesFormat } from './changesQuery.js';
import { hrefOf, nextLink } from './nextLink.js';
import { addressedOrg } from './principalContext.js';
import { acceptQuery } from './queryParameters.js';

const MEDIA_TYPES: Record<ChangesFormat, string> = { json: 'application/json', ndjson: 'application/x-ndjson', csv: 'text/csv' };

/**
 * `GET /v1/changes` (scope `audit:read`): the org's events in log order, filtered, as JSON pages
 * with a cursor, or streamed whole as NDJSON or CSV (`format=` or `Accept`). `org` is the
 * caller's own org, another one or `*` (every org) with scope `admin`.
 */
export function changesRouter({ feed }: { feed: ChangeFeed }): Router {
  const router = new Router();
  router.get('/v1/changes', requireScope('audit:read'), acceptQuery(...CHANGES_PARAMETERS), async (ctx) => {
    const query = parseChangesQuery(ctx.query);
    const filter: ChangeFilter = { ...query.filter, org: orgOf(ctx) };
    const format = query.format ?? negotiated(ctx);
    if (format === 'json') {
      const page = await feed.page(filter, { cursor: query.cursor, limit: query.limit });
      const { cursor: _cursor, format: _format, ...rest } = ctx.query;
      ctx.body = { changes: page.changes, next: nextLink(ctx, page.next === null ? null : hrefOf(ctx.path, { ...rest, cursor: page.next })) };
      return;
    }
    if (query.cursor !== null) ctx.throw(400, 'An export streams every matching change: cursor pages only the JSON form.');
    const text = format === 'csv' ? exportText(feed.stream(filter), csvRow, { header: `${CSV_COLUMNS.join(',')}\r\n` }) : exportText(feed.stream(filter), ndjsonLine);
    ctx.type = format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/x-ndjson; charset=utf-8';
    ctx.body = Readable.from(text, { objectMode: false });
  });
  return router;
}

/** `org`: absent is the caller's own; `*` (every org) and any other org need scope `admin`. */
function orgOf(ctx: Context): ChangeFilter['org'] {
  const named = ctx.query.org;
  if (named === undefined) return (ctx.state.principal as Principal).org ?? '';
  if (named === '*') {
    assertScope(ctx, 'admin');
    return EVERY_ORG;
  }
  return addressedOrg(ctx, String(named));
}

/** The format the Accept header prefers (JSON when it names none of them); 406 when it accepts none. */
function negotiated(ctx: Context): ChangesFormat {
  const chosen = ctx.accepts(MEDIA_TYPES.json, MEDIA_TYPES.ndjson, MEDIA_TYPES.csv);
  if (chosen === false) ctx.throw(406, `/v1/changes answers ${Object.values(MEDIA_TYPES).join(', ')} (or give format=json|ndjson|csv).`);
  return chosen === MEDIA_TYPES.ndjson ? 'ndjson' : chosen === MEDIA_TYPES.csv ? 'csv' : 'json';
}
