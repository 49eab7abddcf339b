import Router from 'koa-router';
import { planEtag, type PlanService } from '@planledger/core';
import { etagMatches } from '../etagMatches.js';
import { readJsonBody } from '../readJsonBody.js';
import { requireScope } from '../middleware/requireScope.js';
import { tenantOf, writeContextOf } from './principalContext.js';

export interface PlansRouterOptions {
  readonly plans: PlanService;
}

/** `/v1/plans` (and the alias `/v1/plan`): create and read plans. */
export function plansRouter({ plans }: PlansRouterOptions): Router {
  const router = new Router();

  for (const base of ['/v1/plans', '/v1/plan']) {
    router.post(base, requireScope('plans:write'), async (ctx) => {
      const result = await plans.create(await readJsonBody(ctx), writeContextOf(ctx));
      ctx.status = 201;
      ctx.set('Location', `/v1/plans/${encodeURIComponent(result.planId)}`);
      ctx.set('ETag', planEtag(result.version));
      ctx.set('X-Plan-Version', String(result.version));
      ctx.set('X-Log-Position', `${result.partition}:${result.position}`);
      ctx.body = result.document;
    });

    router.get(`${base}/:id`, requireScope('plans:read'), async (ctx) => {
      const head = await plans.get(ctx.params.id ?? '', tenantOf(ctx));
      const etag = planEtag(head.version);
      ctx.set('ETag', etag);
      ctx.set('X-Plan-Version', String(head.version));
      if (etagMatches(ctx.get('if-none-match'), etag, { weak: true })) {
        ctx.status = 304;
        return;
      }
      ctx.body = head.document;
    });
  }

  return router;
}
