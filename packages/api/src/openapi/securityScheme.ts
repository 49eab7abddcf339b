/** What each scope of the api lets a token do; the identity provider grants them (`API_SCOPES`). */
export const SCOPE_DESCRIPTIONS = {
  'plans:read': 'Read, list and search the plans of the token\'s org.',
  'plans:write': 'Create, replace, patch and delete plans of the token\'s org.',
  'audit:read': 'Read plans\' history, diffs, past versions and the org\'s changes.',
  admin: 'Act across orgs (name one in the path or `org`), and run projection rebuilds, verifications, repairs and dead letters.',
} as const;

export type ApiScope = keyof typeof SCOPE_DESCRIPTIONS;

/** Where a client gets tokens: from the issuer's OIDC discovery document. */
export interface OAuthEndpoints {
  readonly issuer: string;
  readonly tokenUrl: string;
  readonly authorizationUrl: string;
}

/** The OAuth 2.0 scheme: client credentials for services, authorization code with PKCE (S256) for people. */
export function oauthSecurityScheme({ issuer, tokenUrl, authorizationUrl }: OAuthEndpoints) {
  return {
    oauth2: {
      type: 'oauth2',
      description: `Bearer access tokens (RS256/ES256 JWTs, \`typ: at+jwt\`) from the issuer ${issuer} (discovery at ${issuer.replace(/\/$/, '')}/.well-known/openid-configuration), each acting for one org (its \`org\` claim). Authorization code clients are public and must use PKCE with S256.`,
      flows: {
        clientCredentials: { tokenUrl, scopes: SCOPE_DESCRIPTIONS },
        authorizationCode: { authorizationUrl, tokenUrl, scopes: SCOPE_DESCRIPTIONS },
      },
    },
  };
}
