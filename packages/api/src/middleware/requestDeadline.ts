import type { Context, Middleware, Next } from 'koa';
import { WriteOutcomeUnknown } from '@planledger/core';

/** The default deadline: past a search's longest wait for a consistency token (5 s). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 8_000;

/** Methods that change nothing: past the deadline they are simply unavailable. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A read that did not finish in time: a dependency is slow or unreachable (503 `unavailable`). */
export class DeadlineExceeded extends Error {
  readonly transient = true;

  constructor(ms: number) {
    super(`no answer within the request deadline of ${ms} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * Every request answers within `ms`: when the handler has not finished by then, the request is
 * answered at once — a read with 503 `unavailable`, anything else with 503
 * `write-outcome-unknown`, since a write may be past its append — and the handler's own outcome,
 * whenever it comes, is dropped (Koa ignores headers and bodies set after the answer went out).
 * Sits inside `problemDetails`, which writes the answer. The bound is a backstop: each dependency
 * has its own, shorter timeout (Redis commands, Elasticsearch requests) that answers first.
 */
export function requestDeadline(ms: number): Middleware {
  return async function deadline(ctx: Context, next: Next): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), ms);
    });
    const work = next();
    try {
      if ((await Promise.race([work, expired])) !== 'expired') return;
    } finally {
      clearTimeout(timer);
    }
    // The handler goes on unobserved; its failure, if any, came too late to tell anyone.
    work.catch(() => undefined);
    if (SAFE_METHODS.has(ctx.method)) throw new DeadlineExceeded(ms);
    throw new WriteOutcomeUnknown(`The request did not finish within ${ms} ms`, new DeadlineExceeded(ms));
  };
}
