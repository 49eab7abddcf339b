import type { FuzzRequest, FuzzResponse } from './sendRequest.js';

/** One broken promise, named so that failures group by invariant and route. */
export interface Violation {
  readonly invariant: string;
  readonly route: string;
  readonly detail: string;
}

/** Collects the violations of one case; `exchanges` keeps what was sent and answered for the report. */
export class CaseReport {
  readonly violations: Violation[] = [];
  readonly exchanges: { request: FuzzRequest; status: number; body: string }[] = [];
  readonly statuses: { route: string; status: number }[] = [];

  record(route: string, request: FuzzRequest, response: FuzzResponse): void {
    this.statuses.push({ route, status: response.status });
    this.exchanges.push({ request: { ...request, headers: redact(request.headers), ...(request.body !== undefined ? { body: clip(request.body) } : {}) }, status: response.status, body: clip(response.text) });
  }

  fail(invariant: string, route: string, detail: string): void {
    this.violations.push({ invariant, route, detail });
  }
}

const clip = (text: string) => (text.length > 600 ? `${text.slice(0, 600)}… (${text.length} chars)` : text);
const redact = (headers: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, k === 'authorization' ? clip(v.replace(/ey[\w-]+\.[\w-]+\.[\w-]+/, '<token>')) : clip(v)]));

/** Invariants that hold for every answer: no 5xx, refusals are problem+json, 405 says Allow, 412 gives the current ETag. */
export function checkEveryAnswer(report: CaseReport, route: string, request: FuzzRequest, response: FuzzResponse): void {
  report.record(route, request, response);
  if (response.status >= 500) report.fail('never a 5xx', route, `${response.status}: ${clip(response.text)}`);
  if (response.status >= 400 && response.status < 500) {
    const type = response.headers['content-type'] ?? '';
    if (!/^application\/problem\+json\b/i.test(type)) report.fail('every refusal is application/problem+json', route, `${response.status} with content-type '${type}'`);
    else if (request.method !== 'HEAD') {
      const body = response.json as Record<string, unknown> | undefined;
      if (typeof body?.type !== 'string' || typeof body.title !== 'string' || body.status !== response.status) report.fail('every refusal is application/problem+json', route, `problem lacks type/title/status: ${clip(response.text)}`);
    }
  }
  if (response.status === 405 && !response.headers.allow) report.fail('a 405 names the allowed methods (Allow)', route, `405 without Allow for ${request.method} ${request.path}`);
  if (response.status === 412 && !response.headers.etag) report.fail('a 412 carries the current ETag', route, `412 without ETag for ${request.method}`);
}

/** RFC 9110 §13.1.1: If-Match with strong comparison — `*`, or a listed strong tag equal to the current one. */
export function ifMatchAllows(header: string, currentEtag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').map((tag) => tag.trim()).some((tag) => tag === currentEtag);
}

/** RFC 9110 §13.1.2: If-None-Match with weak comparison; true when the header forbids the write on an existing plan. */
export function ifNoneMatchForbids(header: string, currentEtag: string | null): boolean {
  if (currentEtag === null) return false;
  if (header.trim() === '*') return true;
  return header.split(',').map((tag) => tag.trim().replace(/^W\//, '')).some((tag) => tag === currentEtag);
}

/** Whether JSON text has an object with the same member name twice (a tiny scanner; the text is assumed to parse). */
export function hasDuplicateKeys(text: string): boolean {
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.has(key)) return true;
        top.add(key);
      }
      expectKey = false;
      i = j;
    } else if (c === '{') { stack.push(new Set()); expectKey = true; }
    else if (c === '[') { stack.push(null); }
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') expectKey = stack[stack.length - 1] !== null;
  }
  return false;
}

/** An RFC 3339 time whose fields are out of range (Feb 30, month 13, hour 24...), though shaped right. */
export function isImpossibleTime(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 60 || Number(m[10] ?? 0) > 23 || Number(m[11] ?? 0) > 59;
}

/** A plan creationDate the schema accepts (MM-DD-YYYY or YYYY-MM-DD) that is a real calendar date. */
export function isPlanDate(text: string): boolean {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(text) ?? null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const [year, month, day] = m ? [Number(m[3]), Number(m[1]), Number(m[2])] : iso ? [Number(iso[1]), Number(iso[2]), Number(iso[3])] : [0, 0, 0];
  if (month < 1 || month > 12) return false;
  return day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
