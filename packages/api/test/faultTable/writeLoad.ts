import type { JsonPatchOperation } from '@planledger/core';
import { aPlan } from '../../../core/test/planMother.js';

/** One write a client got a success answer for. */
export interface AckedWrite {
  readonly org: string;
  readonly planId: string;
  readonly version: number;
  /** The ETag the answer carried (a delete has none). */
  readonly etag: string | null;
  readonly change: 'created' | 'patched' | 'deleted';
  /** What the client sent: the created document, or the JSON Patch. */
  readonly sent: unknown;
  /** `Date.now()` when the answer arrived. */
  readonly at: number;
  /** The answer's X-Consistency-Token (`<partition>:<position>`). */
  readonly token: string | null;
}

export interface LoadOptions {
  /** Concurrent writers (default 6), spread over the api instances. */
  readonly workers?: number;
  /** Operations offered per second over all writers (default: as fast as answers come). */
  readonly rate?: number;
  /** Versions a plan gets before its writer deletes it and creates another (default 12). */
  readonly versionsPerPlan?: number;
}

export interface WriteLoad {
  /** Writes acknowledged so far (at or after `since`, a `Date.now()`). */
  acknowledged(since?: number): number;
  /** Requests that got no answer or a 5xx (their outcome unknown to the client). */
  failures(): number;
  /** Resolves once `count` writes were acknowledged at or after `since`. */
  waitFor(count: number, since?: number, timeoutMs?: number): Promise<void>;
  /** Like `waitFor`, but resolves false instead of failing when `withinMs` passed first. */
  reached(count: number, since: number, withinMs: number): Promise<boolean>;
  stop(): Promise<AckedWrite[]>;
}

export interface LoadTarget {
  readonly baseUrls: readonly string[];
  readonly authorization: string;
  readonly org: string;
}

const REQUEST_TIMEOUT_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writers creating plans, patching each plan's copay with values unique to the run (If-Match the
 * version last answered), and deleting a plan after `versionsPerPlan` versions. A writer whose
 * api does not answer moves to the next api and re-reads its plan before writing again (the
 * write it sent may or may not have landed; only answered ones count as acknowledged).
 */
export function startWriteLoad(target: LoadTarget, { workers = 6, rate, versionsPerPlan = 12 }: LoadOptions = {}): WriteLoad {
  const acked: AckedWrite[] = [];
  let failures = 0;
  let running = true;
  const send = async (api: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${target.baseUrls[api % target.baseUrls.length]}${path}`, {
      method,
      headers: { authorization: target.authorization, ...(body === undefined ? {} : { 'content-type': method === 'PATCH' ? 'application/json-patch+json' : 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response;
  };
  const record = (response: Response, write: Omit<AckedWrite, 'version' | 'etag' | 'at' | 'token' | 'org'>) => {
    const version = Number(response.headers.get('x-plan-version'));
    acked.push({ org: target.org, ...write, version, etag: response.headers.get('etag'), at: Date.now(), token: response.headers.get('x-consistency-token') });
    return version;
  };
  const worker = async (n: number) => {
    let api = n;
    let plan: { id: string; version: number } | null = null;
    let resync = false;
    const interval = rate ? (1000 * workers) / rate : 0;
    for (let i = 0; running; i += 1) {
      const started = Date.now();
      try {
        if (plan && resync) {
          const read = await send(api, 'GET', `/v1/plans/${plan.id}`);
          if (read.status === 200) plan.version = Number(read.headers.get('x-plan-version'));
          else if (read.status === 404 || read.status === 410) plan = null;
          else throw new Error(`GET answered ${read.status}`);
          resync = false;
        }
        if (!plan) {
          const document = aPlan({ copay: n * 1_000_000 + i });
          const created = await send(api, 'POST', '/v1/plans', document);
          if (created.status === 201) plan = { id: document.objectId, version: record(created, { planId: document.objectId, change: 'created', sent: document }) };
          else if (created.status >= 500) throw new Error(`POST answered ${created.status}`);
        } else if (plan.version >= versionsPerPlan) {
          const deleted = await send(api, 'DELETE', `/v1/plans/${plan.id}`, undefined, { 'if-match': `"v${plan.version}"` });
          if (deleted.status === 204) {
            record(deleted, { planId: plan.id, change: 'deleted', sent: null });
            plan = null;
          } else if (deleted.status >= 500) throw new Error(`DELETE answered ${deleted.status}`);
          else resync = true;
        } else {
          const patch: JsonPatchOperation[] = [{ op: 'replace', path: '/planCostShares/copay', value: n * 1_000_000 + i }];
          const patched = await send(api, 'PATCH', `/v1/plans/${plan.id}`, patch, { 'if-match': `"v${plan.version}"` });
          if (patched.status === 200) plan.version = record(patched, { planId: plan.id, change: 'patched', sent: patch });
          else if (patched.status >= 500) throw new Error(`PATCH answered ${patched.status}`);
          else resync = true;
        }
      } catch {
        failures += 1;
        resync = plan !== null;
        api += 1;
        await sleep(50);
      }
      if (interval > 0) await sleep(Math.max(0, interval - (Date.now() - started)));
    }
  };
  const all = Array.from({ length: workers }, (_, n) => worker(n));
  const acknowledged = (since = 0) => {
    let count = 0;
    for (let i = acked.length - 1; i >= 0 && (acked[i]?.at ?? 0) >= since; i -= 1) count += 1;
    return count;
  };
  const reached = async (count: number, since: number, withinMs: number) => {
    for (const deadline = Date.now() + withinMs; acknowledged(since) < count; await sleep(100)) if (Date.now() > deadline) return false;
    return true;
  };
  return {
    acknowledged,
    failures: () => failures,
    reached,
    async waitFor(count, since = 0, timeoutMs = 600_000) {
      if (!(await reached(count, since, timeoutMs))) throw new Error(`only ${acknowledged(since)} of ${count} writes acknowledged in ${timeoutMs} ms (${failures} failed requests)`);
    },
    async stop() {
      running = false;
      await Promise.all(all);
      return acked;
    },
  };
}
