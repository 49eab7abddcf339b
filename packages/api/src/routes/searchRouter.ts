import type { Context } from 'koa';
import Router from 'koa-router';
import { escapePointer, InvalidParameter, parseSearchRequest, PlanDeleted, PlanNotFound, type PlanAudit, type PlanSearch, type PlanService } from '@planledger/core';
import type { ConsistencyGate } from '../consistencyGate.js';
import { assertScope, requireScope } from '../middleware/requireScope.js';
import { readJsonBody } from '../readJsonBody.js';
import { hrefOf, nextLink } from './nextLink.js';
import { planHref, tenantOf } from './principalContext.js';

const withoutCursor = ({ cursor, ...rest }: Record<string, unknown>): Record<string, unknown> => (void cursor, rest);

export interface SearchRouterOptions {
  readonly search: PlanSearch;
  readonly plans: PlanService;
  /** Where a search `asOf` a moment reads each hit's document as it was then. */
  readonly audit: PlanAudit;
  readonly consistency: ConsistencyGate;
  /** Longest wait for a consistency token before answering anyway. */
  readonly consistencyTimeoutMs?: number;
}

/**
 * `GET /v1/search?<filters>` and `POST /v1/search` (the same as a JSON object): plans of the
 * caller's org matching every filter (admins: every org), paged by cursor. With `asOf` (scope
 * `audit:read` too), the same search over every plan as it was at that moment, answered by the
 * temporal index; hits carry each plan's version then.
 */
export function searchRouter({ search, plans, audit, consistency, consistencyTimeoutMs = 5_000 }: SearchRouterOptions): Router {
  const router = new Router();
  const answer = async (ctx: Context, params: Record<string, unknown>) => {
    const request = parseSearchRequest(params);
    // The past of every plan is an auditor's question.
    if (request.asOf !== null) assertScope(ctx, 'audit:read');
    const tenant = tenantOf(ctx);
    let consistent: boolean | null = null;
    if (request.consistentWith !== null) {
      const outcome = await consistency(request.consistentWith, consistencyTimeoutMs, request.asOf === null ? 'search' : 'asof');
      if (outcome === 'invalid') ctx.throw(400, 'consistentWith must be a consistency token from a write response (X-Consistency-Token).');
      consistent = outcome === 'visible';
    }
    const page = tenant.crossOrg || tenant.org !== null ? await search.search(request, { org: tenant.crossOrg ? null : tenant.org }) : { total: 0, hits: [], next: null };
    const items = await Promise.all(
      page.hits.map(async (hit) => {
        const item = { ...hit, href: planHref(ctx, hit) };
        if (request.include !== 'document') return item;
        const ref = { org: hit.org, planId: hit.planId };
        const found = await (request.asOf === null ? plans.get(ref, tenant) : audit.at(ref, tenant, { version: hit.version })).catch((error: unknown) => (error instanceof PlanNotFound || error instanceof PlanDeleted ? null : Promise.reject(error)));
        return { ...item, document: found?.document ?? null };
      }),
    );
    if (consistent !== null) ctx.set('X-Consistency', consistent ? 'visible' : 'timeout');
    // `next` is the GET form of the next page (for a POST too); `cursor` continues either form.
    const next = page.next === null ? null : hrefOf('/v1/search', { ...withoutCursor(params), cursor: page.next });
    ctx.body = { total: page.total, items, next: nextLink(ctx, next), cursor: page.next, ...(consistent === null ? {} : { consistent }) };
  };

  router.get('/v1/search', requireScope('plans:read'), (ctx) => {
    // A parameter given twice is ambiguous; lists are comma-separated (`sort=a,b`, `x[in]=1,2`).
    const repeated = Object.entries(ctx.query).filter(([name, value]) => Array.isArray(value) && !name.endsWith('[in]'));
    if (repeated.length > 0) throw new InvalidParameter(repeated.map(([name]) => ({ pointer: `/${escapePointer(name)}`, message: 'Given more than once; give it once (lists are comma-separated).' })));
    return answer(ctx, ctx.query);
  });
  router.post('/v1/search', requireScope('plans:read'), async (ctx) => {
    const { value } = await readJsonBody(ctx);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) ctx.throw(400, 'The search body must be a JSON object.');
    await answer(ctx, value as Record<string, unknown>);
  });
  return router;
}
