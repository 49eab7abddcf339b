import { signedIn, signIn } from '../auth/session';

/** An RFC 9457 problem as the api answers it. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly requestId?: string;
  readonly [member: string]: unknown;
}

/** A failed call: `status` 0 when the api could not be reached at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `status ${status}`);
  }
}

export interface ApiAnswer<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/**
 * Calls the api with the signed-in person's token. A 401 (no token yet, or an expired one) goes
 * to sign-in and comes back to the page the person was on.
 */
export async function api<T>(path: string, init: RequestInit = {}): Promise<ApiAnswer<T>> {
  const session = signedIn();
  const returnTo = `${location.pathname}${location.search}`;
  if (session === null || session.expiresAt <= Date.now()) return signIn(returnTo);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init.headers as Record<string, string>), authorization: `Bearer ${session.token}` } });
  } catch {
    throw new ApiError(0, { title: 'The api cannot be reached', detail: 'The request did not reach the api: it may be down, or the network is.' });
  }
  if (response.status === 401) return signIn(returnTo);
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = text;
  }
  if (!response.ok) {
    const problem = typeof body === 'object' && body !== null ? (body as Problem) : { title: response.statusText, detail: String(body ?? '') };
    throw new ApiError(response.status, problem);
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** A JSON POST/DELETE with the token; answers the body. */
export async function send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  return (await api<T>(path, init)).body;
}

/** Downloads an export (NDJSON, CSV) with the token, then saves it under `filename`. */
export async function download(path: string, accept: string, filename: string): Promise<void> {
  const session = signedIn();
  if (session === null) return signIn(`${location.pathname}${location.search}`);
  const response = await fetch(path, { headers: { accept, authorization: `Bearer ${session.token}` } }).catch(() => null);
  if (response === null) throw new ApiError(0, { title: 'The api cannot be reached' });
  if (response.status === 401) return signIn(`${location.pathname}${location.search}`);
  if (!response.ok) throw new ApiError(response.status, (await response.json().catch(() => ({}))) as Problem);
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `?a=1&b=2` from the members that have a value. */
export function queryOf(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== null && entry[1] !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([name, value]) => [name, String(value)])).toString()}`;
}
