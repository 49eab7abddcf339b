import type { Context, Next } from 'koa';

/** Transport limits every request is held to; `main.ts` reads them from the environment. */
export interface RequestLimits {
  /** Deepest nesting of objects and arrays in a JSON body (the root container is level 1). */
  readonly maxJsonDepth: number;
  /** Largest request body, in bytes as sent. */
  readonly maxBodyBytes: number;
  /** Most items in any one array of a JSON body. */
  readonly maxArrayLength: number;
  /** Most operations in one JSON Patch (`application/json-patch+json`). */
  readonly maxPatchOperations: number;
  /** Longest query string (the part after `?`), in bytes as sent. */
  readonly maxQueryLength: number;
}

/**
 * Depth 32 is four times the deepest valid plan (8), so a too-deep plan still gets schema errors
 * with pointers, and a JSON Patch (two levels of its own) can carry any valid plan. 1 MiB holds
 * four of the largest valid plans (256 KiB). 10,000 items and 1,000 patch operations are far past
 * any plan's needs yet keep one request's work small. 4 KiB of query is far past any search.
 */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  maxJsonDepth: 32,
  maxBodyBytes: 1024 * 1024,
  maxArrayLength: 10_000,
  maxPatchOperations: 1_000,
  maxQueryLength: 4096,
};

/** The defaults with `overrides` applied; throws unless every limit is a positive whole number. */
export function resolveRequestLimits(overrides: Partial<RequestLimits> = {}): RequestLimits {
  const limits = { ...DEFAULT_REQUEST_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`Request limit ${name} must be a whole number of at least 1, not ${String(value)}.`);
  }
  return limits;
}

/**
 * Holds every request to `limits`: a query string past `maxQueryLength` is 414 URI Too Long (the
 * query is part of the target URI, RFC 9110 §15.5.15), and the limits ride on `ctx.state` for
 * the body reader.
 */
export function requestLimits(limits: RequestLimits) {
  return async function enforceRequestLimits(ctx: Context, next: Next): Promise<void> {
    if (ctx.querystring.length > limits.maxQueryLength) {
      ctx.throw(414, `The query string may be at most ${limits.maxQueryLength} bytes; this one has ${ctx.querystring.length}.`);
    }
    ctx.state.limits = limits;
    await next();
  };
}

/** The limits `requestLimits` set for this request (the defaults when it did not run). */
export function limitsOf(ctx: Context): RequestLimits {
  return (ctx.state.limits as RequestLimits | undefined) ?? DEFAULT_REQUEST_LIMITS;
}
