import type { OAuthEndpoints } from '../openapi/securityScheme.js';

export interface DiscoverOAuthEndpointsOptions {
  readonly issuer: string;
  /** How long the discovery request may take. */
  readonly timeoutMs?: number;
}

/**
 * The issuer's token and authorization endpoints from its OIDC discovery document, fetched on the
 * first call and kept once it answered (a failed discovery is tried again on the next call), so
 * the api starts while the issuer is still down.
 */
export function discoverOAuthEndpoints({ issuer, timeoutMs = 3_000 }: DiscoverOAuthEndpointsOptions): () => Promise<OAuthEndpoints> {
  let found: Promise<OAuthEndpoints> | null = null;
  const discover = async (): Promise<OAuthEndpoints> => {
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`OIDC discovery at ${url} answered ${response.status}`);
    const document = (await response.json()) as { token_endpoint?: unknown; authorization_endpoint?: unknown };
    if (typeof document.token_endpoint !== 'string' || typeof document.authorization_endpoint !== 'string') throw new Error(`OIDC discovery at ${url} names no token_endpoint or authorization_endpoint`);
    return { issuer, tokenUrl: document.token_endpoint, authorizationUrl: document.authorization_endpoint };
  };
  return () => {
    found ??= discover().catch((error: unknown) => {
      found = null;
      throw error;
    });
    return found;
  };
}
