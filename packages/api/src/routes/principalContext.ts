import type { Context } from 'koa';
import type { Tenant, WriteContext } from '@planledger/core';
import type { Principal } from '../auth/principalFromClaims.js';
import { idempotencyOf } from '../idempotencyOf.js';

/** The caller as the domain sees it: its org, and whether it may cross orgs (scope `admin`). */
export function tenantOf(ctx: Context): Tenant {
  const principal = ctx.state.principal as Principal;
  return { org: principal.org, crossOrg: principal.scopes.has('admin') };
}

/** What every event of this request records about who made it, and its Idempotency-Key. */
export function writeContextOf(ctx: Context, rawBody?: string): WriteContext {
  const principal = ctx.state.principal as Principal;
  const idempotency = idempotencyOf(ctx, rawBody);
  return { ...tenantOf(ctx), actor: principal.subject, requestId: ctx.state.requestId as string, ...(idempotency ? { idempotency } : {}) };
}
