import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's `X-Request-Id` when it is sane, else makes one; echoes it on the response. */
export async function requestId(ctx: Context, next: Next): Promise<void> {
  const given = ctx.get('x-request-id');
  ctx.state.requestId = ACCEPTABLE.test(given) ? given : randomUUID();
  ctx.set('X-Request-Id', ctx.state.requestId as string);
  await next();
}
