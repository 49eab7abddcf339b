import type { Context, Next } from 'koa';
import { escapePointer, InvalidParameter, isCalendarTime, type PointInTime, type Violation } from '@planledger/core';


/**
 * Declares the query parameters a route takes: any other parameter, or one given more than once,
 * is refused with 400 `INVALID_PARAMETER` naming each, before the handler runs.
 */
export function acceptQuery(...names: string[]) {
  const allowed = new Set(names);
  const known = names.length === 0 ? 'this route takes no query parameters' : `this route takes ${names.join(', ')}`;
  return async function acceptQueryMiddleware(ctx: Context, next: Next): Promise<void> {
    const violations: Violation[] = [];
    for (const [name, value] of Object.entries(ctx.query)) {
      if (!allowed.has(name)) violations.push({ pointer: `/${escapePointer(name)}`, message: `Unknown parameter; ${known}.` });
      else if (Array.isArray(value)) violations.push({ pointer: `/${escapePointer(name)}`, message: 'Given more than once; give it once.' });
    }
    if (violations.length > 0) throw new InvalidParameter(violations);
    await next();
  };
}

/** `?version=N` or `?asOf=<RFC 3339 time>` on a plan read; undefined when neither is given. */
export function pointInTimeOf(ctx: Context): PointInTime | undefined {
  const { version, asOf } = ctx.query;
  if (version !== undefined && asOf !== undefined) throw invalid('version', 'Give either version or asOf, not both.');
  if (version !== undefined) return { version: wholeNumber('version', version, { min: 1 }) };
  if (asOf === undefined) return undefined;
  return { asOf: calendarTime('asOf', asOf) };
}

/** A query parameter that must be an RFC 3339 time that exists (no 30 February, no hour 24). */
export function calendarTime(name: string, value: string | string[] | undefined): Date {
  if (typeof value !== 'string' || !isCalendarTime(value)) throw invalid(name, `'${clip(String(value ?? ''))}' is not an RFC 3339 time that exists, e.g. 2026-01-31T12:00:00Z.`);
  return new Date(value);
}

/**
 * A query parameter that must be a whole number from `min` to `max`; the message names the bound
 * the value breaks, so it never contradicts the input (a value within `max` that is still too
 * high for the resource is the resource's own error, e.g. VERSION_OUT_OF_RANGE).
 */
export function wholeNumber(name: string, value: string | string[] | undefined, { min = 1, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw invalid(name, `'${clip(String(value ?? ''))}' is not a whole number (${min} to ${max}).`);
  const number = Number(value);
  if (number < min) throw invalid(name, `${value} is below ${min}; give ${min} to ${max}.`);
  if (value.length > 16 || number > max) throw invalid(name, `${clip(value)} is above ${max}; give ${min} to ${max}.`);
  return number;
}

export function invalid(name: string, message: string): InvalidParameter {
  return new InvalidParameter([{ pointer: `/${escapePointer(name)}`, message }]);
}

const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
