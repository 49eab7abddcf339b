import { createOpenApiContract, type OpenApiContract } from './openApiContract.js';

/** One contract per served document (apis started by tests differ only in `servers`). */
const contracts = new Map<string, OpenApiContract>();
const byOrigin = new Map<string, Promise<OpenApiContract>>();

/** The contract of the api at `origin`: its own `/v1/openapi.json`, fetched once. */
export function contractOf(origin: string): Promise<OpenApiContract> {
  let contract = byOrigin.get(origin);
  if (!contract) {
    contract = (async () => {
      const response = await fetch(`${origin}/v1/openapi.json`);
      if (response.status !== 200) throw new Error(`${origin}/v1/openapi.json answered ${response.status}: ${await response.text()}`);
      const document = (await response.json()) as Record<string, unknown>;
      const key = JSON.stringify({ ...document, servers: [] });
      let known = contracts.get(key);
      if (!known) {
        known = createOpenApiContract(document);
        contracts.set(key, known);
      }
      return known;
    })();
    contract.catch(() => byOrigin.delete(origin));
    byOrigin.set(origin, contract);
  }
  return contract;
}

const headersOf = (init: RequestInit | undefined): Record<string, string> => Object.fromEntries([...new Headers(init?.headers).entries()].map(([name, value]) => [name.toLowerCase(), value]));

/**
 * `fetch` for calls to the api under test: the request and its answer are checked against the
 * api's OpenAPI document (a ContractViolation when they disagree), and the answer is handed back
 * as a fresh Response with the same status, headers and body. Requests made on purpose outside
 * the document (405 probes, fuzz) use plain `fetch`.
 */
export async function checkedFetch(url: string, init?: RequestInit): Promise<Response> {
  const target = new URL(url);
  const response = await fetch(url, init);
  const body = Buffer.from(await response.arrayBuffer());
  const contract = await contractOf(target.origin);
  const requestBody = init?.body;
  contract.check({
    method: (init?.method ?? 'GET').toUpperCase(),
    target: `${target.pathname}${target.search}`,
    requestHeaders: headersOf(init),
    requestBody: typeof requestBody === 'string' ? requestBody : requestBody instanceof Uint8Array ? Buffer.from(requestBody).toString('utf8') : undefined,
    status: response.status,
    responseHeaders: response.headers,
    responseBody: body.toString('utf8'),
  });
  const empty = body.length === 0 || response.status === 204 || response.status === 304;
  return new Response(empty ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
