import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { canonicalJson } from '@planledger/core';

const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The request's Idempotency-Key with a fingerprint of the whole request: method, the resource it
 * addresses in canonical form (`target`, whatever alias or org path named it), content type and
 * the body as canonical JSON (so spacing and member order do not count as another request).
 */
export function idempotencyOf(ctx: Context, target: string, body?: unknown): { key: string; fingerprint: string } | undefined {
  const key = ctx.get('idempotency-key');
  if (key === '') return undefined;
  if (!ACCEPTABLE_KEY.test(key)) ctx.throw(400, 'An Idempotency-Key is 1 to 255 visible ASCII characters.');
  const request = [ctx.method, target, body === undefined ? '' : ctx.request.type.toLowerCase(), body === undefined ? '' : canonicalJson(body)];
  return { key, fingerprint: createHash('sha256').update(JSON.stringify(request)).digest('base64url') };
}
