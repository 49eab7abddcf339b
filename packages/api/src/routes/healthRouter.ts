import Router from 'koa-router';
import { acceptQuery } from './queryParameters.js';

/** A named readiness probe: resolves when the dependency answers. */
export type ReadinessCheck = () => Promise<void>;

export interface HealthRouterOptions {
  readonly checks: Record<string, ReadinessCheck>;
  /** How long one probe may take before it counts as down. */
  readonly timeoutMs?: number;
  /** Reported beside the checks (e.g. lag); its failure is reported, not fatal. */
  readonly details?: () => Promise<object>;
}

/** `/health/live` (the process answers) and `/health/ready` (every dependency answers). */
export function healthRouter({ checks, timeoutMs = 2_000, details }: HealthRouterOptions): Router {
  const router = new Router();
  router.get('/health/live', acceptQuery(), (ctx) => {
    ctx.body = { status: 'up' };
  });
  router.get('/health/ready', acceptQuery(), async (ctx) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs);
          return [name, { status: 'up' }] as const;
        } catch (error) {
          return [name, { status: 'down', detail: (error as Error).message }] as const;
        }
      }),
    );
    const ready = results.every(([, result]) => result.status === 'up');
    const extra = details ? await withTimeout(details(), timeoutMs).catch((error: unknown) => ({ unavailable: (error as Error).message })) : {};
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'up' : 'down', checks: Object.fromEntries(results), ...extra };
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
