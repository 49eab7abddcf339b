import type { Context } from 'koa';
import Router from 'koa-router';
import { evaluatePreconditions, findObject, isJsonObject, jsonText, ObjectNotFound, planEtag, PlanDeleted, PlanNotFound, SchemaViolation, VersionConflict, type PatchFormat, type PlanAudit, type PlanDirectory, type PlanRef, type PlanService, type WriteResult } from '@planledger/core';
import { assertScope, requireScope } from '../middleware/requireScope.js';
import { preconditionsOf, writePreconditionsOf } from '../preconditions.js';
import { readJsonBody } from '../readJsonBody.js';
import { hrefOf, nextLink } from './nextLink.js';
import { acceptQuery, pointInTimeOf, wholeNumber } from './queryParameters.js';
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
    router.post(base, requireScope('plans:write'), acceptQuery(), async (ctx) => {
      const org = addressedOrg(ctx);
      // A create succeeds only where no plan is: If-None-Match (any) always holds, If-Match never does.
      if (preconditionsOf(ctx).ifMatch !== undefined) throw new VersionConflict('', 0, 0, 'If-Match on a create can never hold: POST creates a plan that does not exist yet (send If-None-Match: * or nothing).');
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
    router.get(base, requireScope('plans:read'), acceptQuery('limit', 'cursor', 'org'), async (ctx) => {
      const tenant = tenantOf(ctx);
      const org = addressedOrg(ctx, ctx.params.org ?? (typeof ctx.query.org === 'string' ? ctx.query.org : undefined));
      const limit = ctx.query.limit === undefined ? 50 : wholeNumber('limit', ctx.query.limit, { max: 500 });
      const cursor = typeof ctx.query.cursor === 'string' ? ctx.query.cursor : undefined;
      const page = await directory.list(org, { limit, ...(cursor ? { cursor } : {}) });
      ctx.body = {
        items: page.items.map((item) => ({ ...item, href: planHref(ctx, item) })),
        next: nextLink(ctx, page.next === null ? null : hrefOf(ctx.path, { limit, cursor: page.next, org: ctx.params.org === undefined && org !== tenant.org ? org : undefined })),
      };
    });

    router.get(`${base}/:id`, requireScope('plans:read'), acceptQuery('version', 'asOf'), async (ctx) => {
      const when = pointInTimeOf(ctx);
      if (when) {
        assertScope(ctx, 'audit:read');
        const past = await audit.at(planRefOf(ctx), tenantOf(ctx), when);
        ctx.set('X-Plan-Version', String(past.version));
        ctx.set('ETag', planEtag(past.version));
        sendJson(ctx, past.document);
        return;
      }
      const head = await plans.get(planRefOf(ctx), tenantOf(ctx));
      ctx.set('ETag', planEtag(head.version));
      ctx.set('Last-Modified', new Date(head.at).toUTCString());
      ctx.set('X-Plan-Version', String(head.version));
      if (evaluatePreconditions({ planId: head.planId, exists: true, version: head.version, at: head.at }, preconditionsOf(ctx), { read: true }) === 'not-modified') {
        ctx.status = 304;
        return;
      }
      sendJsonText(ctx, head.documentJson ?? jsonText(head.document));
    });

    router.get(`${base}/:id/objects/:objectId`, requireScope('plans:read'), acceptQuery(), async (ctx) => {
      // A deleted plan's objects are simply not there (404); the plan read itself answers 410.
      const head = await plans.get(planRefOf(ctx), tenantOf(ctx)).catch((error: unknown) => Promise.reject(error instanceof PlanDeleted ? new PlanNotFound(ctx.params.id ?? '') : error));
      const object = findObject(head.document, ctx.params.objectId ?? '');
      if (object === null) throw new ObjectNotFound(head.planId, ctx.params.objectId ?? '');
      ctx.set('X-Plan-Version', String(head.version));
      sendJson(ctx, object);
    });

    router.put(`${base}/:id`, requireScope('plans:write'), acceptQuery(), async (ctx) => {
      const plan = planRefOf(ctx);
      const expected = writePreconditionsOf(ctx);
      const body = await readJsonBody(ctx);
      answerWrite(ctx, await plans.replace(plan, body.value, expected, writeContextOf(ctx, targetOf(plan), body.value)), 200);
    });

    router.patch(`${base}/:id`, requireScope('plans:write'), acceptQuery(), async (ctx) => {
      const plan = planRefOf(ctx);
      const expected = writePreconditionsOf(ctx);
      const body = await readJsonBody(ctx, Object.keys(PATCH_FORMATS));
      const format = PATCH_FORMATS[body.type] ?? 'merge';
      answerWrite(ctx, await plans.patch(plan, format, body.value, expected, writeContextOf(ctx, targetOf(plan), body.value)), 200);
    });

    router.delete(`${base}/:id`, requireScope('plans:write'), acceptQuery(), async (ctx) => {
      const plan = planRefOf(ctx);
      const expected = writePreconditionsOf(ctx);
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
  if (status === 200 && prefersMinimal(ctx.get('Prefer'))) {
    // RFC 7240 §4.2: the client does not need the plan back (a create always answers it, with its 201).
    ctx.set('Preference-Applied', 'return=minimal');
    ctx.status = 204;
    return;
  }
  ctx.status = status;
  if (status !== 204) sendJson(ctx, result.document);
}

/** Whether a Prefer header (RFC 7240: preferences separated by commas, parameters after `;`) asks for `return=minimal`. */
export function prefersMinimal(prefer: string): boolean {
  if (prefer === '') return false;
  return prefer.split(',').some((preference) => {
    const [token = '', value = ''] = (preference.split(';')[0] ?? '').split('=').map((part) => part.trim());
    return token.toLowerCase() === 'return' && value.replace(/^"(.*)"$/, '$1').toLowerCase() === 'minimal';
  });
}

/**
 * The body as JSON, serialised once: a document read from the log or just written already has its
 * text (`jsonText`), so it is not stringified again here. Null stays null (Koa answers 204).
 */
function sendJson(ctx: Context, value: unknown): void {
  if (value === null || value === undefined) {
    ctx.body = null;
    return;
  }
  sendJsonText(ctx, jsonText(value));
}

function sendJsonText(ctx: Context, text: string): void {
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = text;
}
