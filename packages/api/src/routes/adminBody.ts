import type { Context } from 'koa';
import { InvalidParameter } from '@planledger/core';
import { readJsonBody } from '../readJsonBody.js';

/** Whether the request carries a body at all (a POST without one is allowed where the body is optional). */
export function hasBody(ctx: Context): boolean {
  return (ctx.get('content-length') !== '' && ctx.get('content-length') !== '0') || ctx.get('transfer-encoding') !== '';
}

/**
 * An admin request's JSON object body: only `members` may appear, each a string when present
 * (400 naming each that is unknown or not a string); no body at all is `{}` when `optional`.
 */
export async function readAdminBody(ctx: Context, members: readonly string[], { optional = false }: { optional?: boolean } = {}): Promise<Record<string, string>> {
  if (optional && !hasBody(ctx)) return {};
  const { value } = await readJsonBody(ctx);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidParameter([{ pointer: '', message: 'The body must be a JSON object.' }]);
  const violations = Object.entries(value as Record<string, unknown>).flatMap(([name, member]) => {
    if (!members.includes(name)) return [{ pointer: `/${name}`, message: `Unknown member; the body takes ${members.join(', ') || 'no members'}.` }];
    if (typeof member !== 'string') return [{ pointer: `/${name}`, message: 'Must be a string.' }];
    return [];
  });
  if (violations.length > 0) throw new InvalidParameter(violations);
  return value as Record<string, string>;
}
