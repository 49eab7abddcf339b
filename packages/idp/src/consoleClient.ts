import type { ClientMetadata } from 'oidc-provider';

/** The console's client id: a public client (no secret) using authorization code with PKCE (S256). */
export const CONSOLE_CLIENT_ID = 'planledger-console';

/** Where the console is served by default (`npm start`). */
export const DEFAULT_CONSOLE_ORIGINS: readonly string[] = ['http://localhost:3000', 'http://127.0.0.1:3000'];

/** The console's registration: it may come back to `<origin>/console/callback` for each origin that serves it. */
export function consoleClientMetadata(origins: readonly string[]): ClientMetadata {
  return {
    client_id: CONSOLE_CLIENT_ID,
    client_name: 'planledger console',
    application_type: 'web',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: origins.map((origin) => `${origin.replace(/\/$/, '')}/console/callback`),
    token_endpoint_auth_method: 'none',
  };
}

/** True when a browser at `origin` may call the token endpoint for the console. */
export function isConsoleOrigin(origin: string, metadata: ClientMetadata): boolean {
  return (metadata.redirect_uris ?? []).some((uri) => new URL(uri).origin === origin);
}
