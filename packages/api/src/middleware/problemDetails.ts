import type { Context, Next } from 'koa';
import { DomainError, isTransientError, planEtag, VersionConflict } from '@planledger/core';
import { PROBLEM_TYPES } from '../problemTypes.js';

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
  headers?: Record<string, string>;
}

/**
 * Turns every thrown error into an RFC 9457 `application/problem+json` answer. Domain errors map
 * by code; HTTP errors (`ctx.throw`) keep their status and, when `expose` is set, their message;
 * anything else is a 500 that says nothing of internals and is reported on the app's 'error' event.
 */
export async function problemDetails(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      setProblem(ctx, 404, '/problems/not-found', 'Not found', `Nothing at ${ctx.method} ${ctx.path}.`);
    }
  } catch (error) {
    if (error instanceof DomainError) {
      const type = PROBLEM_TYPES[error.code];
      const extra = { ...error.extensions, ...(error.violations.length > 0 ? { violations: error.violations } : {}) };
      // A 412 tells the client what the plan is at now, so it can re-read and retry knowingly.
      if (error instanceof VersionConflict && error.currentVersion > 0) ctx.set('ETag', planEtag(error.currentVersion));
      setProblem(ctx, type.status, type.type, type.title, error.message, extra);
      if (type.status === 503) {
        ctx.set('Retry-After', '1');
        ctx.app.emit('error', error, ctx);
      }
      return;
    }
    if (isTransientError(error)) {
      ctx.set('Retry-After', '1');
      setProblem(ctx, 503, '/problems/unavailable', 'Service unavailable', 'A backing service is unavailable. Retry shortly; send writes with an Idempotency-Key so a retry cannot apply twice.');
      ctx.app.emit('error', error, ctx);
      return;
    }
    const http = (error ?? {}) as HttpLikeError;
    // Only HTTP errors (ctx.throw, and this api's own, which say whether to expose) carry a status
    // for the client: a library's error with a statusCode (Elasticsearch's 404 for a missing index)
    // is a failure here, not the client's.
    const status = typeof http.expose === 'boolean' ? (http.status ?? http.statusCode ?? 500) : 500;
    if (status >= 400 && status < 500) {
      for (const [name, value] of Object.entries(http.headers ?? {})) ctx.set(name, value);
      const detail = http.expose && http.message ? http.message : undefined;
      setProblem(ctx, status, `/problems/http-${status}`, statusTitle(status), detail);
      return;
    }
    setProblem(ctx, status >= 500 && status < 600 ? status : 500, '/problems/internal', 'Internal error', 'The request could not be completed; it has been logged with its request id.');
    ctx.app.emit('error', error, ctx);
  }
}

export function setProblem(ctx: Context, status: number, type: string, title: string, detail?: string, extra: object = {}): void {
  ctx.status = status;
  ctx.type = 'application/problem+json';
  ctx.body = { type, title, status, ...(detail === undefined ? {} : { detail }), instance: ctx.path, requestId: ctx.state.requestId as string, ...extra };
}

function statusTitle(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not found',
    405: 'Method not allowed',
    406: 'Not acceptable',
    409: 'Conflict',
    410: 'Gone',
    412: 'Precondition failed',
    413: 'Content too large',
    414: 'URI too long',
    415: 'Unsupported media type',
    422: 'Unprocessable content',
    428: 'Precondition required',
  };
  return titles[status] ?? 'Client error';
}
