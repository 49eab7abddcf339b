import { Agent, request } from 'node:http';

/** One HTTP request as the fuzz sends it: raw method, raw path (already encoded), raw headers, raw body. */
export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface FuzzResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  readonly json: unknown;
}

/** Thrown when an answer does not come within the bound: the "never a hang" invariant. */
export class RequestTimedOut extends Error {
  constructor(readonly request: FuzzRequest, readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** Sends requests with node:http (not fetch) so methods like TRACE, dot segments and odd headers go out exactly as written. */
export function createSender(baseUrl: string, { timeoutMs = 5_000, sockets = 64 }: { timeoutMs?: number; sockets?: number } = {}) {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets, timeout: 60_000 });
  const send = (req: FuzzRequest): Promise<FuzzResponse> =>
    new Promise((resolve, reject) => {
      const signal = AbortSignal.timeout(timeoutMs);
      const headers: Record<string, string> = { ...req.headers };
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
      const outgoing = request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent, signal }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : (JSON.parse(text) as unknown);
          } catch {
            json = undefined;
          }
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
          resolve({ status: response.statusCode ?? 0, headers: flat, text, json });
        });
      });
      outgoing.on('error', (error) => reject(signal.aborted ? new RequestTimedOut(req, timeoutMs) : error));
      // A Buffer body: a string body would be written with the headers in one UTF-8 write, re-encoding header bytes.
      outgoing.end(req.body === undefined ? undefined : Buffer.from(req.body));
    });
  return { send, close: () => agent.destroy() };
}

export type Sender = ReturnType<typeof createSender>;
