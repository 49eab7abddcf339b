import { devToken } from './authTestContext.js';
import { checkedFetch } from './contract/checkedFetch.js';

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/**
 * A small HTTP client for tests: one dev client's token, JSON in and out. Every request and its
 * answer are checked against the api's OpenAPI document (`checkedFetch`); `unchecked: true` opts a
 * deliberate probe outside the document out.
 */
export async function apiClient(baseUrl: string, issuer: string, client: string) {
  const authorization = `Bearer ${await devToken(issuer, client)}`;
  const request = async <T = Record<string, unknown>>(method: string, path: string, { body, type = 'application/json', headers = {}, unchecked = false }: { body?: unknown; type?: string; headers?: Record<string, string>; unchecked?: boolean } = {}): Promise<ApiResponse<T>> => {
    const response = await (unchecked ? fetch : checkedFetch)(`${baseUrl}${path}`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': type }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
  };
  return {
    /** The Authorization header this client sends (for requests made without it, as raw HTTP). */
    authorization,
    request,
    get: <T = Record<string, unknown>>(path: string, headers: Record<string, string> = {}) => request<T>('GET', path, { headers }),
    post: (path: string, body: unknown, headers: Record<string, string> = {}) => request('POST', path, { body, headers }),
    put: (path: string, body: unknown, ifMatch?: string, headers: Record<string, string> = {}) => request('PUT', path, { body, headers: { ...(ifMatch ? { 'if-match': ifMatch } : {}), ...headers } }),
    patch: (path: string, body: unknown, type: string, ifMatch?: string, headers: Record<string, string> = {}) =>
      request('PATCH', path, { body, type, headers: { ...(ifMatch ? { 'if-match': ifMatch } : {}), ...headers } }),
    delete: (path: string, ifMatch?: string, headers: Record<string, string> = {}) => request('DELETE', path, { headers: { ...(ifMatch ? { 'if-match': ifMatch } : {}), ...headers } }),
  };
}

export type ApiClient = Awaited<ReturnType<typeof apiClient>>;
