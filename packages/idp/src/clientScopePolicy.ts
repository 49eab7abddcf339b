import { errors, type Client, type KoaContextWithOIDC } from 'oidc-provider';

import { decideScope } from './decideScope.js';

/**
 * Enforces the client's scope on a client_credentials request before oidc-provider computes the
 * token's scope: an omitted scope becomes every scope the client may have, and a scope the client
 * may not have (known to the server or not) is an `invalid_scope` error.
 *
 * oidc-provider itself only checks scopes listed in its `scopes` setting and issues a token with
 * no scope at all when none is requested, so this runs from `getResourceServerInfo`, the last hook
 * it calls before reading `params.scope`.
 */
export function applyClientScopePolicy(ctx: KoaContextWithOIDC, client: Client): void {
  const { params, route } = ctx.oidc;
  if (route !== 'token' || params === undefined || params['grant_type'] !== 'client_credentials') return;
  const requested = typeof params['scope'] === 'string' ? params['scope'] : undefined;
  const decision = decideScope({ requested, allowed: client.scope ?? '' });
  if ('notAllowed' in decision) {
    throw new errors.InvalidScope('requested scope is not allowed', decision.notAllowed);
  }
  params['scope'] = decision.granted;
}
