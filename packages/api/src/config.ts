import { commonSettings, setting } from '@planledger/core';
import { adminSettings } from '@planledger/projector';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './middleware/requestDeadline.js';
import { DEFAULT_TOKEN_CACHE } from './auth/createVerifiedTokenCache.js';
import { DEFAULT_REQUEST_LIMITS } from './requestLimits.js';

/** Every setting the api reads, with its environment name, meaning and default. */
export const apiSettings = {
  ...commonSettings,
  ...adminSettings,
  port: setting('integer', 'PORT', 'Port the api listens on.', 3000),
  apiWorkers: setting('integer', 'API_WORKERS', 'Api processes sharing the port (0: one per available core; 1: no worker pool).', 0),
  host: setting('string', 'HOST', 'Address the api listens on.', '127.0.0.1'),
  oidcIssuer: setting('string', 'OIDC_ISSUER', "The token issuer (`iss`); its JWKS is found through OIDC discovery.", 'http://127.0.0.1:4000'),
  oidcAudience: setting('string', 'OIDC_AUDIENCE', 'The audience (`aud`) tokens must be issued for.', 'planledger-api'),
  oidcJwksUri: setting('string', 'OIDC_JWKS_URI', 'JWKS address, when the issuer has no discovery document (empty: discover).', ''),
  oidcAlgorithms: setting('string', 'OIDC_ALGORITHMS', 'Accepted signature algorithms, comma-separated.', 'RS256,ES256'),
  oidcTokenTypes: setting('string', 'OIDC_TOKEN_TYPES', 'Accepted JWT `typ` headers, comma-separated (`JWT` for Google ID tokens).', 'at+jwt'),
  oidcClockTolerance: setting('integer', 'OIDC_CLOCK_TOLERANCE', 'Seconds a token is still accepted past its `exp` (the api\'s clock ahead of the issuer\'s).', 5),
  oidcNotBeforeTolerance: setting('integer', 'OIDC_NOT_BEFORE_TOLERANCE', 'Seconds a token\'s `nbf` and `iat` may lie in the api\'s future (the api\'s clock behind the issuer\'s).', 300),
  redisCommandTimeoutMs: setting('integer', 'REDIS_COMMAND_TIMEOUT_MS', 'Longest the api waits for one Redis command (then 503; a write whose append timed out is `write-outcome-unknown`).', 1_000),
  requestTimeoutMs: setting('integer', 'REQUEST_TIMEOUT_MS', 'Every request is answered within this many ms (503 past it).', DEFAULT_REQUEST_TIMEOUT_MS),
  oidcTokenCacheSize: setting('integer', 'OIDC_TOKEN_CACHE_SIZE', 'Most verified tokens remembered until their `exp` (0: verify every request).', DEFAULT_TOKEN_CACHE.maxEntries),
  oidcTokenCacheMaxAge: setting('integer', 'OIDC_TOKEN_CACHE_MAX_AGE', 'Longest a verified token is remembered, in seconds, whatever its `exp`.', DEFAULT_TOKEN_CACHE.maxAgeSec),
  oidcScopeClaim: setting('string', 'OIDC_SCOPE_CLAIM', 'Claim holding the granted scopes (`scope`, `scp`).', 'scope'),
  oidcOrgClaim: setting('string', 'OIDC_ORG_CLAIM', "Claim holding the caller's org (`org`; `hd` for Google).", 'org'),
  maxJsonDepth: setting('integer', 'MAX_JSON_DEPTH', 'Deepest nesting of objects and arrays in a JSON body.', DEFAULT_REQUEST_LIMITS.maxJsonDepth),
  maxBodyBytes: setting('integer', 'MAX_BODY_BYTES', 'Largest request body, in bytes.', DEFAULT_REQUEST_LIMITS.maxBodyBytes),
  maxArrayLength: setting('integer', 'MAX_ARRAY_LENGTH', 'Most items in any one array of a JSON body.', DEFAULT_REQUEST_LIMITS.maxArrayLength),
  maxPatchOperations: setting('integer', 'MAX_PATCH_OPERATIONS', 'Most operations in one JSON Patch.', DEFAULT_REQUEST_LIMITS.maxPatchOperations),
  maxQueryLength: setting('integer', 'MAX_QUERY_LENGTH', 'Longest query string, in bytes (414 past it).', DEFAULT_REQUEST_LIMITS.maxQueryLength),
  consoleDir: setting('string', 'CONSOLE_DIR', "The web console's build served at `/console` (empty: `packages/console/dist` of this checkout).", ''),
  consoleClientId: setting('string', 'CONSOLE_CLIENT_ID', 'The OAuth client id the console signs in with (a public client, code + PKCE).', 'planledger-console'),
  oidcScopeGrants: setting('string', 'OIDC_SCOPE_GRANTS', 'JSON object granting scopes by verified email or subject, for tokens without scopes.', '{}'),
};
