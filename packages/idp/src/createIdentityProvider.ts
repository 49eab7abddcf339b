import type { RequestListener } from 'node:http';

import Provider, { errors, type ClientMetadata, type Configuration, type ResourceServer } from 'oidc-provider';
import type { Logger } from 'pino';

import { API_SCOPES } from './apiScopes.js';
import { applyClientScopePolicy } from './clientScopePolicy.js';
import type { ClientRegistration } from './clientRegistration.js';
import { CONSOLE_CLIENT_ID, consoleClientMetadata, isConsoleOrigin } from './consoleClient.js';
import { createMemoryAdapter } from './createMemoryAdapter.js';
import type { UserAccount } from './devUsers.js';
import { interactionRoutes, interactionUrl } from './interactionRoutes.js';
import type { IdpKeys } from './loadOrCreateKeys.js';
import { logProviderEvents } from './logProviderEvents.js';

export interface IdentityProviderOptions {
  /** Issuer identifier, e.g. `http://127.0.0.1:4000`; every endpoint is served below it. */
  readonly issuer: string;
  /** The `aud` of every access token. */
  readonly audience: string;
  readonly clients: readonly ClientRegistration[];
  readonly keys: Pick<IdpKeys, 'jwks' | 'cookieKeys'>;
  /** Access token lifetime in seconds. */
  readonly tokenTtlSeconds: number;
  readonly logger: Logger;
  /** People who may sign in at the login page (authorization code flow); none by default. */
  readonly users?: readonly UserAccount[];
  /**
   * Origins serving the console; when given, the public client `planledger-console` is
   * registered with `<origin>/console/callback` as its redirect URIs, and those origins may call
   * the token endpoint from a browser (CORS).
   */
  readonly consoleOrigins?: readonly string[];
}

export interface IdentityProvider {
  readonly issuer: string;
  /** The resource indicator that stands for the api; requests without `resource` get it. */
  readonly resource: string;
  readonly provider: Provider;
  /** The HTTP request handler; mount it on a server, this factory does not listen. */
  readonly callback: RequestListener;
}

/**
 * An OAuth 2.0 / OpenID Connect server issuing RS256 JWT access tokens via client_credentials,
 * and via authorization code with PKCE for the console's users, who sign in at its login page.
 * Both kinds of token carry the same audience and claims (`org`, `scope`, `sub`, `client_id`).
 */
export function createIdentityProvider(options: IdentityProviderOptions): IdentityProvider {
  const users = new Map((options.users ?? []).map((user) => [user.username, user]));
  const consoleClient = options.consoleOrigins?.length ? consoleClientMetadata(options.consoleOrigins) : undefined;
  const resource = URL.canParse(options.audience) ? options.audience : `urn:${options.audience}`;
  const resourceServer: ResourceServer = {
    scope: API_SCOPES.join(' '),
    audience: options.audience,
    accessTokenFormat: 'jwt',
    accessTokenTTL: options.tokenTtlSeconds,
    jwt: { sign: { alg: 'RS256' } },
  };
  const configuration: Configuration = {
    adapter: createMemoryAdapter(),
    clients: [...options.clients.map(toClientMetadata), ...(consoleClient ? [consoleClient] : [])],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    scopes: [...API_SCOPES],
    responseTypes: ['code'],
    pkce: { required: () => true, methods: ['S256'] },
    interactions: { url: (_ctx, interaction) => interactionUrl(interaction.uid) },
    findAccount: (_ctx, id) => {
      const user = users.get(id);
      return user === undefined ? undefined : { accountId: id, claims: () => ({ sub: id, email: user.email }) };
    },
    jwks: { keys: [...options.keys.jwks.keys] },
    cookies: { keys: [...options.keys.cookieKeys] },
    extraClientMetadata: { properties: ['org'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => false,
        getResourceServerInfo: (ctx, indicator, client) => {
          if (indicator !== resource) throw new errors.InvalidTarget();
          applyClientScopePolicy(ctx, client);
          return resourceServer;
        },
      },
    },
    extraTokenClaims: (ctx, token) => {
      // A user's token is for the user's org; a client's token for the client's.
      const accountId = 'accountId' in token ? token.accountId : undefined;
      if (typeof accountId === 'string') {
        const user = users.get(accountId);
        return user === undefined ? undefined : { org: user.org, email: user.email };
      }
      const org = ctx.oidc.client?.metadata()['org'];
      return typeof org === 'string' ? { org } : undefined;
    },
    ttl: {
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? options.tokenTtlSeconds,
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? options.tokenTtlSeconds,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    clientBasedCORS: (_ctx, origin, client) => consoleClient !== undefined && client.clientId === CONSOLE_CLIENT_ID && isConsoleOrigin(origin, consoleClient),
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
  const provider = new Provider(options.issuer, configuration);
  logProviderEvents(provider, options.logger);
  provider.use(interactionRoutes(provider, [...users.values()]));
  return { issuer: provider.issuer, resource, provider, callback: provider.callback() };
}

function toClientMetadata(client: ClientRegistration): ClientMetadata {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: client.scope,
    org: client.org,
  };
}
