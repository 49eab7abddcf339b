import { challengeOf, randomToken } from './pkce';

/** What `/console/config.json` tells the console (the api's own settings). */
export interface ConsoleConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
}

/** The signed-in person, as their access token says. */
export interface SignedIn {
  readonly token: string;
  readonly subject: string;
  readonly email: string | null;
  readonly org: string;
  readonly scopes: ReadonlySet<string>;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  readonly returnTo: string;
}

const PENDING = 'planledger.console.signIn';
const SIGNED_OUT = 'planledger.console.signedOut';
export const CALLBACK_PATH = '/console/callback';

// The token lives in this module only: never in storage, gone with the tab.
let current: SignedIn | null = null;
let configPromise: Promise<ConsoleConfig> | null = null;

export const signedIn = (): SignedIn | null => current;

export function loadConfig(): Promise<ConsoleConfig> {
  configPromise ??= fetch('/console/config.json').then(async (response) => {
    if (!response.ok) throw new Error(`config.json answered ${response.status}`);
    return (await response.json()) as ConsoleConfig;
  });
  return configPromise;
}

async function discovery(issuer: string): Promise<{ authorization_endpoint: string; token_endpoint: string }> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`the identity provider answered ${response.status}`);
  return (await response.json()) as { authorization_endpoint: string; token_endpoint: string };
}

const redirectUri = (): string => `${location.origin}${CALLBACK_PATH}`;

/**
 * Leaves for the identity provider's login page; it comes back to the callback, which returns to
 * `returnTo`. The PKCE verifier and state wait in sessionStorage for that one round trip (they are
 * not tokens: without the code they are worth nothing). After a sign-out the login page is shown
 * even though the provider still remembers the person.
 */
export async function signIn(returnTo: string): Promise<never> {
  const config = await loadConfig();
  const { authorization_endpoint: endpoint } = await discovery(config.issuer);
  const pending: PendingSignIn = { state: randomToken(), verifier: randomToken(), returnTo };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: config.scope,
    state: pending.state,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
    ...(sessionStorage.getItem(SIGNED_OUT) === null ? {} : { prompt: 'login' }),
  }).toString();
  location.assign(url.href);
  return new Promise<never>(() => undefined);
}

/** Finishes a sign-in at the callback: checks `state`, trades the code for a token, and says where to go back to. */
export async function completeSignIn(search: string): Promise<string> {
  const params = new URLSearchParams(search);
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  const pending = raw === null ? null : (JSON.parse(raw) as PendingSignIn);
  if (params.get('error') !== null) throw new Error(params.get('error_description') ?? params.get('error') ?? 'sign-in failed');
  const code = params.get('code');
  if (pending === null || code === null || params.get('state') !== pending.state) throw new Error('This sign-in answer does not match a sign-in started here; sign in again.');
  const config = await loadConfig();
  const { token_endpoint: endpoint } = await discovery(config.issuer);
  const response = await fetch(endpoint, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(), client_id: config.clientId, code_verifier: pending.verifier }),
  });
  const body = (await response.json()) as { access_token?: string; expires_in?: number; error_description?: string };
  if (!response.ok || body.access_token === undefined) throw new Error(body.error_description ?? `the token endpoint answered ${response.status}`);
  current = fromToken(body.access_token);
  sessionStorage.removeItem(SIGNED_OUT);
  return pending.returnTo.startsWith('/console/') ? pending.returnTo : '/console/plans';
}

/** Forgets the token; the next sign-in shows the login page again. */
export function signOut(): void {
  current = null;
  sessionStorage.setItem(SIGNED_OUT, '1');
}

/** Reads (never trusts) the token's claims for display; the api verifies it on every call. */
function fromToken(token: string): SignedIn {
  const [, payload = ''] = token.split('.');
  const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  const text = (name: string): string | null => (typeof claims[name] === 'string' ? (claims[name] as string) : null);
  return {
    token,
    subject: text('sub') ?? '',
    email: text('email'),
    org: text('org') ?? '',
    scopes: new Set((text('scope') ?? '').split(' ').filter(Boolean)),
    expiresAt: typeof claims['exp'] === 'number' ? claims['exp'] * 1000 : Date.now(),
  };
}
