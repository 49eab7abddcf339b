import Router from 'koa-router';
import type { PlanAudit } from '@planledger/core';
import { requireScope } from '../middleware/requireScope.js';
import { planRefOf, tenantOf } from './principalContext.js';
import { PLAN_BASES } from './plansRouter.js';
import { positiveInteger } from './queryParameters.js';

/** Auditors' reads (scope `audit:read`): a plan's history, paged, and the diff between two versions. */
export function auditRouter({ audit }: { audit: PlanAudit }): Router {
  const router = new Router();
  for (const base of PLAN_BASES) {
    router.get(`${base}/:id/history`, requireScope('audit:read'), async (ctx) => {
      const from = ctx.query.from === undefined ? 1 : positiveInteger(ctx, 'from', ctx.query.from);
      const limit = ctx.query.limit === undefined ? 100 : positiveInteger(ctx, 'limit', ctx.query.limit, 1000);
      const page = await audit.history(planRefOf(ctx), tenantOf(ctx), { from, limit });
      ctx.body = {
        planId: page.planId,
        latest: page.latest,
        events: page.events.map(({ version, type, at, actor, org, requestId, patch }) => ({ version, type, at, actor, org, requestId, patch })),
        next: page.next === null ? null : `${ctx.path}?from=${page.next}&limit=${limit}`,
      };
    });

    router.get(`${base}/:id/diff`, requireScope('audit:read'), async (ctx) => {
      const from = ctx.query.from === '0' ? 0 : positiveInteger(ctx, 'from', ctx.query.from);
      const to = positiveInteger(ctx, 'to', ctx.query.to);
      ctx.body = await audit.diff(planRefOf(ctx), tenantOf(ctx), from, to);
    });
  }
  return router;
}
