import type { Context } from 'koa';
import Router from 'koa-router';
import { InvalidParameter } from '@planledger/core';
import type { AdminService, DeadLetter } from '@planledger/projector';
import type { Principal } from '../auth/principalFromClaims.js';
import { requireScope } from '../middleware/requireScope.js';
import { readAdminBody } from './adminBody.js';
import { projectionParameter } from './adminProjectionsRouter.js';
import { hrefOf, nextLink } from './nextLink.js';
import { acceptQuery, wholeNumber } from './queryParameters.js';

/** Longest discard reason, in characters. */
export const MAX_DISCARD_REASON = 500;

/** A dead letter as the api lists it (the event only when one is shown). */
function deadLetterView(letter: DeadLetter, withEvent = false): Record<string, unknown> {
  const { id, projection, partition, org, planId, version, error, deliveryCount, deadLetteredAt, status, discardReason, discardedBy } = letter;
  const view: Record<string, unknown> = { id, projection, partition, org, planId, version, error, deliveryCount, deadLetteredAt, status };
  if (discardReason !== undefined) view.discardReason = discardReason;
  if (discardedBy !== undefined) view.discardedBy = discardedBy;
  if (withEvent) {
    try {
      view.event = JSON.parse(letter.body) as unknown;
    } catch {
      view.event = null;
      view.body = letter.body;
    }
  }
  return view;
}

/** Who is acting, as recorded on a retry or discard. */
const adminOf = (ctx: Context) => (ctx.state.principal as Principal).subject;

function reasonOf(value: string | undefined): string {
  const reason = value?.trim() ?? '';
  const invalid = (message: string) => new InvalidParameter([{ pointer: '/reason', message }]);
  if (reason === '') throw invalid('A reason is required: say why the dead letter is discarded.');
  if ([...reason].length > MAX_DISCARD_REASON) throw invalid(`At most ${MAX_DISCARD_REASON} characters.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(reason)) throw invalid('No control characters.');
  return reason;
}

/** Dead letters (scope `admin`): list, inspect, retry one or all, discard with a reason. */
export function adminDeadLettersRouter({ admin }: { admin: AdminService }): Router {
  const router = new Router();
  router.get('/v1/admin/dead-letters', requireScope('admin'), acceptQuery('projection', 'limit', 'cursor'), async (ctx) => {
    const projection = projectionParameter(ctx.query.projection);
    const limit = ctx.query.limit === undefined ? 50 : wholeNumber('limit', ctx.query.limit, { max: 500 });
    const cursor = typeof ctx.query.cursor === 'string' ? ctx.query.cursor : undefined;
    const page = await admin.listDeadLetters({ ...(projection ? { projection } : {}), limit, ...(cursor ? { cursor } : {}) });
    ctx.body = {
      deadLetters: page.deadLetters.map((letter) => deadLetterView(letter)),
      next: nextLink(ctx, page.next === null ? null : hrefOf(ctx.path, { projection, limit, cursor: page.next })),
    };
  });
  router.post('/v1/admin/dead-letters/retry', requireScope('admin'), acceptQuery(), async (ctx) => {
    const { projection } = await readAdminBody(ctx, ['projection'], { optional: true });
    const name = projection === undefined ? undefined : projectionParameter(projection);
    ctx.status = 202;
    ctx.body = { retried: await admin.retryAll(name, adminOf(ctx)) };
  });
  router.get('/v1/admin/dead-letters/:id', requireScope('admin'), acceptQuery(), async (ctx) => {
    ctx.body = deadLetterView(await admin.deadLetter(ctx.params.id ?? ''), true);
  });
  router.post('/v1/admin/dead-letters/:id/retry', requireScope('admin'), acceptQuery(), async (ctx) => {
    await readAdminBody(ctx, [], { optional: true });
    ctx.status = 202;
    ctx.body = deadLetterView(await admin.retry(ctx.params.id ?? '', adminOf(ctx)));
  });
  router.post('/v1/admin/dead-letters/:id/discard', requireScope('admin'), acceptQuery(), async (ctx) => {
    const { reason } = await readAdminBody(ctx, ['reason']);
    ctx.body = deadLetterView(await admin.discard(ctx.params.id ?? '', reasonOf(reason), adminOf(ctx)));
  });
  return router;
}
