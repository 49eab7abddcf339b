import { createHash } from 'node:crypto';
import type { Context } from 'koa';

const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;

/** The request's Idempotency-Key with a fingerprint of what it was sent with (method, path, type, body). */
export function idempotencyOf(ctx: Context, rawBody = ''): { key: string; fingerprint: string } | undefined {
  const key = ctx.get('idempotency-key');
  if (key === '') return undefined;
  if (!ACCEPTABLE_KEY.test(key)) ctx.throw(400, 'An Idempotency-Key is 1 to 255 visible ASCII characters.');
  const fingerprint = createHash('sha256').update(JSON.stringify([ctx.method, ctx.path.replace(/^\/v1\/plan(?=\/|$)/, '/v1/plans'), ctx.request.type, rawBody])).digest('base64url');
  return { key, fingerprint };
}
