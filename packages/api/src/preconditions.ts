import type { Context } from 'koa';
import type { EntityTags, Preconditions } from '@planledger/core';

const ENTITY_TAG = /(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"/g;
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC850_DATE = /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/** The conditional headers of a request, parsed for `evaluatePreconditions`; absent or invalid dates are left out (RFC 9110 §13.1.3/4). */
export function preconditionsOf(ctx: Context): Preconditions {
  const ifMatch = entityTags(ctx.get('if-match'));
  const ifNoneMatch = entityTags(ctx.get('if-none-match'));
  const ifUnmodifiedSince = httpDate(ctx.get('if-unmodified-since'));
  const ifModifiedSince = httpDate(ctx.get('if-modified-since'));
  return {
    ...(ifMatch ? { ifMatch } : {}),
    ...(ifNoneMatch ? { ifNoneMatch } : {}),
    ...(ifUnmodifiedSince ? { ifUnmodifiedSince } : {}),
    ...(ifModifiedSince ? { ifModifiedSince } : {}),
  };
}

/** The preconditions of a change to an existing plan: If-Match is required (428 without it). */
export function writePreconditionsOf(ctx: Context): Preconditions {
  const preconditions = preconditionsOf(ctx);
  if (preconditions.ifMatch === undefined) ctx.throw(428, 'This change needs an If-Match header with the ETag you last read (or *).');
  return preconditions;
}

/** `*` or the entity tags listed, exactly as sent; undefined when the header is absent. */
function entityTags(header: string): EntityTags | undefined {
  const value = header.trim();
  if (value === '') return undefined;
  if (value === '*') return '*';
  return value.match(ENTITY_TAG) ?? [];
}

/** An HTTP-date (IMF-fixdate, or the obsolete RFC 850 and asctime forms); undefined when absent or invalid. */
function httpDate(header: string): Date | undefined {
  const value = header.trim();
  if (!IMF_FIXDATE.test(value) && !RFC850_DATE.test(value) && !ASCTIME_DATE.test(value)) return undefined;
  const time = Date.parse(ASCTIME_DATE.test(value) ? `${value} GMT` : value);
  if (Number.isNaN(time)) return undefined;
  const date = new Date(time);
  // A date that does not exist (31 Feb) rolls over in Date.parse; such a header is invalid, so ignored.
  const day = Number((/\b(\d{1,2})[ -](?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/.exec(value) ?? /(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2})\b/.exec(value))?.[1]);
  return date.getUTCDate() === day ? date : undefined;
}
