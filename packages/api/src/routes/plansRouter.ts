import type { Context } from 'koa';
import Router from 'koa-router';
import { findObject, isJsonObject, planEtag, PlanNotFound, SchemaViolation, type PatchFormat, type PlanAudit, type PlanDirectory, type PlanRef, type PlanService, type WriteResult } from '@planledger/core';
import { etagMatches } from '../etagMatches.js';
import { assertScope, requireScope } from '../middleware/requireScope.js';
import { expectedVersionOf } from '../preconditions.js';
import { readJsonBody } from '../readJsonBody.js';
import { pointInTimeOf, positiveInteger } from './queryParameters.js';
import { addressedOrg, planHref, planRefOf, tenantOf, writeContextOf } from './principalContext.js';

export interface PlansRouterOptions {
  readonly plans: PlanService;
  readonly audit: PlanAudit;
  readonly directory: PlanDirectory;
}

const PATCH_FORMATS: Record<string, PatchFormat> = {
  'application/json-patch+json': 'json-patch',
  'application/merge-patch+json': 'merge-patch',
  'application/json': 'merge',
};

/** Where each plan resource is mounted: the caller's org (and the alias `/v1/plan`), or an org named explicitly. */
export const PLAN_BASES = ['/v1/plans', '/v1/plan', '/v1/orgs/:org/plans'] as const;

/** The canonical name of a plan for request fingerprints, whichever base addressed it. */
const targetOf = ({ org, planId }: PlanRef) => `/v1/orgs/${encodeURIComponent(org)}/plans/${encodeURIComponent(planId)}`;

/** `/v1/plans` (alias `/v1/plan`) and `/v1/orgs/:org/plans`: create, read, replace, patch and delete plans. */
export function plansRouter({ plans, audit, directory }: PlansRouterOptions): Router {
  const router = new Router();

  for (const base of PLAN_BASES) {
    router.post(base, requireScope('plans:write'), async (ctx) => {
      const org = addressedOrg(ctx);
      const body = await readJsonBody(ctx);
      // Under /v1/orgs/:org the document must be of that org; under /v1/plans its _org names it.
      if (ctx.params.org !== undefined && isJsonObject(body.value) && body.value._org !== org) {
        throw new SchemaViolation([{ pointer: '/_org', message: `must be '${org}', the org in the path` }]);
      }
      const result = await plans.create(body.value, writeContextOf(ctx, `/v1/orgs/${encodeURIComponent(org)}/plans`, body.value));
      ctx.set('Location', planHref(ctx, result));
      answerWrite(ctx, result, 201);
    });

    // The org's plans, newest change first (admins name another org with /v1/orgs/:org/plans or ?org=).
    router.get(base, requireScope('plans:read'), async (ctx) => {
      const tenant = tenantOf(ctx);
      const org = ctx.params.org !== undefined ? addressedOrg(ctx) : tenant.crossOrg && typeof ctx.query.org === 'string' ? ctx.query.org : tenant.org;
      const limit = ctx.query.limit === undefined ? 50 : positiveInteger(ctx, 'limit', ctx.query.limit, 500);
      const cursor = typeof ctx.query.cursor === 'string' ? ctx.query.cursor : undefined;
      const page = org === null ? { items: [], next: null } : await directory.list(org, { limit, ...(cursor ? { cursor } : {}) });
      ctx.body = {
        items: page.items.map((item) => ({ ...item, href: planHref(ctx, item) })),
        next: page.next === null ? null : `${ctx.path}?limit=${limit}&cursor=${encodeURIComponent(page.next)}${ctx.params.org === undefined && org !== tenant.org ? `&org=${encodeURIComponent(org ?? '')}` : ''}`,
      };
    });

    router.get(`${base}/:id`, requireScope('plans:read'), async (ctx) => {
      const when = pointInTimeOf(ctx);
      if (when) {
        assertScope(ctx, 'audit:read');
        const past = await audit.at(planRefOf(ctx), tenantOf(ctx), when);
        ctx.set('X-Plan-Version', String(past.version));
        ctx.set('ETag', planEtag(past.version));
        ctx.body = past.document;
        return;
      }
      const head = await plans.get(planRefOf(ctx), tenantOf(ctx));
      const etag = planEtag(head.version);
      ctx.set('ETag', etag);
      ctx.set('X-Plan-Version', String(head.version));
      if (etagMatches(ctx.get('if-none-match'), etag, { weak: true })) {
        ctx.status = 304;
        return;
      }
      ctx.body = head.document;
    });

    router.get(`${base}/:id/objects/:objectId`, requireScope('plans:read'), async (ctx) => {
      const head = await plans.get(planRefOf(ctx), tenantOf(ctx));
      const object = findObject(head.document, ctx.params.objectId ?? '');
      if (object === null) throw new PlanNotFound(head.planId, `Plan '${head.planId}' has no object '${ctx.params.objectId}'.`);
      ctx.set('X-Plan-Version', String(head.version));
      ctx.body = object;
    });

    router.put(`${base}/:id`, requireScope('plans:write'), async (ctx) => {
      const plan = planRefOf(ctx);
      const expected = expectedVersionOf(ctx);
      const body = await readJsonBody(ctx);
      answerWrite(ctx, await plans.replace(plan, body.value, expected, writeContextOf(ctx, targetOf(plan), body.value)), 200);
    });

    router.patch(`${base}/:id`, requireScope('plans:write'), async (ctx) => {
      const plan = planRefOf(ctx);
      const expected = expectedVersionOf(ctx);
      const body = await readJsonBody(ctx, Object.keys(PATCH_FORMATS));
      const format = PATCH_FORMATS[body.type] ?? 'merge';
      answerWrite(ctx, await plans.patch(plan, format, body.value, expected, writeContextOf(ctx, targetOf(plan), body.value)), 200);
    });

    router.delete(`${base}/:id`, requireScope('plans:write'), async (ctx) => {
      const plan = planRefOf(ctx);
      const expected = expectedVersionOf(ctx);
      answerWrite(ctx, await plans.remove(plan, expected, writeContextOf(ctx, targetOf(plan))), 204);
    });
  }

  return router;
}

/** Every write answers with the plan's version (header and ETag) and where its event landed. */
function answerWrite(ctx: Context, result: WriteResult, status: number): void {
  ctx.set('X-Plan-Version', String(result.version));
  if (result.document) ctx.set('ETag', planEtag(result.version));
  if (result.position) ctx.set('X-Consistency-Token', `${result.position.partition}:${result.position.id}`);
  if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
  ctx.status = status;
  if (status !== 204) ctx.body = result.document;
}
