import { TokenRequestError } from './tokenRequestError.js';

export interface FetchTokenOptions {
  /** Issuer identifier; discovery is read from `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Space-separated scopes; omitted, the client gets every scope it is allowed. */
  readonly scope?: string | undefined;
}

/** Obtains an access token with the client_credentials grant (client_secret_post). */
export async function fetchToken(options: FetchTokenOptions): Promise<string> {
  const discoveryUrl = `${options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const discovery = await readJson(await send(discoveryUrl));
  const tokenEndpoint = (discovery.body as { token_endpoint?: unknown } | null)?.token_endpoint;
  if (!discovery.ok || typeof tokenEndpoint !== 'string') {
    throw new TokenRequestError({
      error: 'invalid_discovery',
      status: discovery.status,
      message: `${discoveryUrl} answered ${discovery.status} without a token_endpoint`,
    });
  }
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: options.clientId,
    client_secret: options.clientSecret,
  });
  if (options.scope !== undefined) form.set('scope', options.scope);
  const answer = await readJson(await send(tokenEndpoint, { method: 'POST', body: form }));
  const body = (answer.body ?? {}) as { access_token?: unknown; error?: unknown; error_description?: unknown };
  if (answer.ok && typeof body.access_token === 'string') return body.access_token;
  const error = typeof body.error === 'string' ? body.error : 'invalid_response';
  const description = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
  throw new TokenRequestError({
    error,
    status: answer.status,
    message: `token request for ${options.clientId} failed with ${answer.status} ${error}${description}`,
  });
}

async function send(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch (cause) {
    throw new TokenRequestError({
      error: 'idp_unreachable',
      status: undefined,
      message: `identity provider not reachable at ${url}`,
      cause,
    });
  }
}

async function readJson(response: Response): Promise<{ ok: boolean; status: number; body: unknown }> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the caller reports the status
  }
  return { ok: response.ok, status: response.status, body };
}
