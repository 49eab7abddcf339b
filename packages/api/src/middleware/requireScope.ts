import type { Context, Next } from 'koa';
import type { Principal } from '../auth/principalFromClaims.js';

export class InsufficientScope extends Error {
  readonly status = 403;
  readonly expose = true;
  readonly headers: Record<string, string>;

  constructor(scope: string) {
    super(`This needs the scope ${scope}.`);
    this.headers = { 'WWW-Authenticate': `Bearer realm="planledger", error="insufficient_scope", scope="${scope}"` };
  }
}

/** Throws a 403 naming `scope` unless the caller's token grants it. */
export function assertScope(ctx: Context, scope: string): void {
  const principal = ctx.state.principal as Principal | undefined;
  if (!principal?.scopes.has(scope)) throw new InsufficientScope(scope);
}

/** Lets the request through only when the caller's token grants `scope`. */
export function requireScope(scope: string) {
  return async function requireScopeMiddleware(ctx: Context, next: Next): Promise<void> {
    assertScope(ctx, scope);
    await next();
  };
}
