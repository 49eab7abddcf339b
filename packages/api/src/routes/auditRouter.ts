import Router from 'koa-router';
import type { PlanAudit } from '@planledger/core';
import { requireScope } from '../middleware/requireScope.js';
import { planRefOf, tenantOf } from './principalContext.js';
import { PLAN_BASES } from './plansRouter.js';
import { hrefOf, nextLink } from './nextLink.js';
import { acceptQuery, wholeNumber } from './queryParameters.js';

/** Auditors' reads (scope `audit:read`): a plan's history, paged, and the diff between two versions. */
export function auditRouter({ audit }: { audit: PlanAudit }): Router {
  const router = new Router();
  for (const base of PLAN_BASES) {
    router.get(`${base}/:id/history`, requireScope('audit:read'), acceptQuery('from', 'limit'), async (ctx) => {
      const from = ctx.query.from === undefined ? 1 : wholeNumber('from', ctx.query.from, { min: 1 });
      const limit = ctx.query.limit === undefined ? 100 : wholeNumber('limit', ctx.query.limit, { max: 1000 });
      const page = await audit.history(planRefOf(ctx), tenantOf(ctx), { from, limit });
      ctx.body = {
        planId: page.planId,
        latest: page.latest,
        events: page.events,
        next: nextLink(ctx, page.next === null ? null : hrefOf(ctx.path, { from: page.next, limit })),
      };
    });

    // Version 0 is the plan before it existed: the diff from 0 is the whole creation.
    router.get(`${base}/:id/diff`, requireScope('audit:read'), acceptQuery('from', 'to'), async (ctx) => {
      const from = wholeNumber('from', ctx.query.from, { min: 0 });
      const to = wholeNumber('to', ctx.query.to, { min: 0 });
      ctx.body = await audit.diff(planRefOf(ctx), tenantOf(ctx), from, to);
    });
  }
  return router;
}
