import { createHash, randomBytes } from 'node:crypto';

import { TokenRequestError } from './tokenRequestError.js';

export interface SignInWithPasswordOptions {
  readonly issuer: string;
  readonly clientId: string;
  /** One of the client's registered redirect URIs; it is never fetched, only read from the last redirect. */
  readonly redirectUri: string;
  readonly username: string;
  readonly password: string;
  /** Space-separated scopes to ask for; the user gets those of them they are allowed. */
  readonly scope: string;
}

/**
 * What a browser does to sign a person in at the identity provider, with fetch: authorization
 * request with PKCE (S256), the login form, the redirect back with a code, and the code exchange.
 * For scripts and tests of public clients such as the console; a wrong password is a
 * `TokenRequestError` with error `access_denied`.
 */
export async function signInWithPassword(options: SignInWithPasswordOptions): Promise<{ accessToken: string; scope: string; expiresIn: number }> {
  const discovery = (await (await fetch(`${options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)).json()) as { authorization_endpoint: string; token_endpoint: string };
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const cookies = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
  const next = (response: Response, from: string): string => {
    const location = response.headers.get('location');
    if (location === null) throw new TokenRequestError({ error: 'unexpected_response', status: response.status, message: `${from} answered ${response.status} without a redirect` });
    return new URL(location, from).href;
  };

  const authorize = new URL(discovery.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: options.redirectUri,
    scope: options.scope,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const loginUrl = next(await go(authorize.href), authorize.href);
  await (await go(loginUrl)).text();
  const submitted = await go(`${loginUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: options.username, password: options.password }).toString(),
  });
  if (submitted.status === 401) throw new TokenRequestError({ error: 'access_denied', status: 401, message: `the identity provider refused the password of ${options.username}` });
  let url = next(submitted, loginUrl);
  while (!url.startsWith(options.redirectUri)) url = next(await go(url), url);
  const back = new URL(url).searchParams;
  const code = back.get('code');
  if (back.get('state') !== state || code === null) {
    throw new TokenRequestError({ error: back.get('error') ?? 'invalid_response', status: undefined, message: `the authorization response carried no code (${back.get('error_description') ?? url})` });
  }
  const exchange = await fetch(discovery.token_endpoint, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: options.redirectUri, client_id: options.clientId, code_verifier: verifier }),
  });
  const body = (await exchange.json()) as { access_token?: string; scope?: string; expires_in?: number; error?: string; error_description?: string };
  if (!exchange.ok || body.access_token === undefined) {
    throw new TokenRequestError({ error: body.error ?? 'invalid_response', status: exchange.status, message: `code exchange failed: ${body.error_description ?? exchange.status}` });
  }
  return { accessToken: body.access_token, scope: body.scope ?? '', expiresIn: body.expires_in ?? 0 };
}
