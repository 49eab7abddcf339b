import type { Context } from 'koa';
import type { EntityTags, Preconditions } from '@planledger/core';

/** One element of an entity-tag list (RFC 9110 §8.8.3, §5.6.1): optional whitespace, a tag, then a comma or the end. */
const LIST_ELEMENT = /[ \t]*((?:W\/)?"[\x21\x23-\x7e\x80-\xff]*")?[ \t]*(,|$)/y;
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC850_DATE = /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/** The conditional headers of a request, parsed for `evaluatePreconditions`; absent or invalid dates are left out (RFC 9110 §13.1.3/4). */
export function preconditionsOf(ctx: Context): Preconditions {
  const ifMatch = entityTags(ctx, 'If-Match');
  const ifNoneMatch = entityTags(ctx, 'If-None-Match');
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

/**
 * `*` or the entity tags listed, exactly as sent; undefined when the header is absent. A value
 * that is neither (`"v1" "v2"` without a comma, a bare `v3`) is a 400: guessing what it meant
 * could make a write go through that the client did not ask for.
 */
function entityTags(ctx: Context, name: string): EntityTags | undefined {
  const value = ctx.get(name).trim();
  if (value === '') return undefined;
  if (value === '*') return '*';
  const tags: string[] = [];
  LIST_ELEMENT.lastIndex = 0;
  while (LIST_ELEMENT.lastIndex < value.length) {
    const start = LIST_ELEMENT.lastIndex;
    const match = LIST_ELEMENT.exec(value);
    if (match === null || LIST_ELEMENT.lastIndex === start) ctx.throw(400, `${name} must be * or a comma-separated list of entity tags such as "v3"; got ${JSON.stringify(value.slice(0, 100))}.`);
    if (match[1] !== undefined) tags.push(match[1]);
  }
  if (tags.length === 0) ctx.throw(400, `${name} names no entity tag; send * or tags such as "v3".`);
  return tags;
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
