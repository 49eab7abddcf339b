import type { Context } from 'koa';
import type { PointInTime } from '@planledger/core';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** `?version=N` or `?asOf=<RFC 3339 time>` on a plan read; undefined when neither is given. */
export function pointInTimeOf(ctx: Context): PointInTime | undefined {
  const { version, asOf } = ctx.query;
  if (version !== undefined && asOf !== undefined) ctx.throw(400, 'Give either version or asOf, not both.');
  if (version !== undefined) return { version: positiveInteger(ctx, 'version', version) };
  if (asOf === undefined) return undefined;
  if (typeof asOf !== 'string' || !RFC3339.test(asOf) || Number.isNaN(Date.parse(asOf))) {
    ctx.throw(400, 'asOf must be an RFC 3339 time, e.g. 2026-01-31T12:00:00Z.');
  }
  return { asOf: new Date(asOf) };
}

/** A query parameter that must be a whole number from 1 (to `max`). */
export function positiveInteger(ctx: Context, name: string, value: string | string[] | undefined, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    ctx.throw(400, `${name} must be a whole number from 1 to ${max}.`);
  }
  return Number(value);
}
