import type { Context } from 'koa';
import type { PlanRef, Tenant, WriteContext } from '@planledger/core';
import { actorOfPrincipal, type Principal } from '../auth/principalFromClaims.js';
import { changeReasonOf } from '../changeReasonOf.js';
import { idempotencyOf } from '../idempotencyOf.js';
import { assertScope } from '../middleware/requireScope.js';

/** The caller as the domain sees it: its org, and whether it may cross orgs (scope `admin`). */
export function tenantOf(ctx: Context): Tenant {
  const principal = ctx.state.principal as Principal;
  return { org: principal.org, crossOrg: principal.scopes.has('admin') };
}

/**
 * The org a request addresses: the `:org` of `/v1/orgs/:org/…` (or the listing's `?org=`, given
 * as `named`); another org than the caller's needs scope `admin`; else the caller's own. Plans
 * of other orgs are never found by id alone.
 */
export function addressedOrg(ctx: Context, named: string | undefined = ctx.params?.org): string {
  const own = (ctx.state.principal as Principal).org ?? '';
  if (named === undefined || named === own) return own;
  assertScope(ctx, 'admin');
  return named;
}

/** The plan a `…/plans/:id` route names, in the org it addresses. */
export function planRefOf(ctx: Context): PlanRef {
  return { org: addressedOrg(ctx), planId: ctx.params.id ?? '' };
}

/** Where a plan lives in the api: under `/v1/plans` for the caller's own org, else under its org. */
export function planHref(ctx: Context, { org, planId }: PlanRef): string {
  const own = (ctx.state.principal as Principal).org;
  const id = encodeURIComponent(planId);
  return org === own ? `/v1/plans/${id}` : `/v1/orgs/${encodeURIComponent(org)}/plans/${id}`;
}

/**
 * What every event of this request records about who made it and why (`X-Change-Reason`), and its
 * Idempotency-Key with the fingerprint of the whole request: method, the plan it addresses
 * (`target`) and the body. The reason is not part of the fingerprint: a retry is the same change
 * whatever it says about it, and the event keeps the reason of the attempt that wrote it.
 */
export function writeContextOf(ctx: Context, target: string, body?: unknown): WriteContext {
  const principal = ctx.state.principal as Principal;
  const reason = changeReasonOf(ctx);
  const idempotency = idempotencyOf(ctx, target, body);
  return { ...tenantOf(ctx), actor: actorOfPrincipal(principal), ...(reason ? { reason } : {}), requestId: ctx.state.requestId as string, ...(idempotency ? { idempotency } : {}) };
}
