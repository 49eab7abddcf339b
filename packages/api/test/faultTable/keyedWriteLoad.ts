import { randomUUID } from 'node:crypto';
import { aPlan } from '../../../core/test/planMother.js';
import type { ApiClient } from '../apiClient.js';

/** A write the api acknowledged (2xx): the plan version it made, and the key it was sent with. */
export interface AcknowledgedWrite {
  readonly planId: string;
  readonly version: number;
  readonly idempotencyKey: string;
}

/** One request of the load or of a probe, as the client saw it. */
export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The problem `type` of a problem answer. */
  readonly problemType?: string;
  readonly retryAfter?: string;
  readonly ms: number;
  /** When it was sent (Date.now()). */
  readonly sentAt: number;
}

interface PlannedWrite {
  readonly method: 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly type?: string;
  readonly ifMatch?: string;
  readonly planId: string;
  readonly version: number;
  readonly idempotencyKey: string;
}

export interface LoadResult {
  readonly acknowledged: AcknowledgedWrite[];
  readonly requests: RequestRecord[];
  /** Writes whose answer was never a 2xx, even after retrying with their key (should be none). */
  readonly unresolved: number;
  /** Answers that are neither 2xx nor 503 (should be none). */
  readonly unexpected: RequestRecord[];
}

export interface KeyedWriteLoad {
  /** Requests so far (load and probes). */
  readonly requests: readonly RequestRecord[];
  /** Sends one request and records it (for probes beside the load). */
  send(method: string, path: string, options?: { body?: unknown; type?: string; headers?: Record<string, string> }): Promise<RequestRecord>;
  /** How many writes were acknowledged so far. */
  acknowledgedCount(): number;
  /**
   * Stops the writers, then retries every write that got no 2xx (503, or no answer) with its
   * own Idempotency-Key until it is acknowledged (at most `settleMs`).
   */
  stop(settleMs?: number): Promise<LoadResult>;
}

/**
 * Three writers, each creating a plan, removing one of its plan services, and deleting every
 * fourth plan, every write with its own Idempotency-Key. A write that is not acknowledged (503
 * while a dependency is away) is put aside, with the rest of its plan's steps abandoned, to be
 * retried with the same key after the fault: a retry replays a write that landed and makes one
 * that did not, so every write ends acknowledged exactly once.
 */
export function keyedWriteLoad(client: ApiClient): KeyedWriteLoad {
  const requests: RequestRecord[] = [];
  const acknowledged: AcknowledgedWrite[] = [];
  const pending: PlannedWrite[] = [];
  const unexpected: RequestRecord[] = [];
  let running = true;

  const send: KeyedWriteLoad['send'] = async (method, path, { body, type, headers = {} } = {}) => {
    const sentAt = Date.now();
    const started = performance.now();
    let record: RequestRecord;
    try {
      const response = await client.request(method, path, { ...(body === undefined ? {} : { body }), ...(type ? { type } : {}), headers });
      const problem = response.body as { type?: unknown } | null;
      record = {
        method,
        path,
        status: response.status,
        ...(typeof problem?.type === 'string' ? { problemType: problem.type } : {}),
        ...(response.headers.get('retry-after') ? { retryAfter: response.headers.get('retry-after') ?? '' } : {}),
        ms: performance.now() - started,
        sentAt,
      };
    } catch {
      record = { method, path, status: 0, ms: performance.now() - started, sentAt };
    }
    requests.push(record);
    if (record.status >= 500 && record.status !== 503) unexpected.push(record);
    return record;
  };

  /** Sends a write; true when acknowledged. */
  const attempt = async (write: PlannedWrite): Promise<'acknowledged' | 'unknown' | 'refused'> => {
    const headers = { 'idempotency-key': write.idempotencyKey, ...(write.ifMatch ? { 'if-match': write.ifMatch } : {}) };
    const record = await send(write.method, write.path, { ...(write.body === undefined ? {} : { body: write.body }), ...(write.type ? { type: write.type } : {}), headers });
    if (record.status >= 200 && record.status < 300) {
      acknowledged.push({ planId: write.planId, version: write.version, idempotencyKey: write.idempotencyKey });
      return 'acknowledged';
    }
    if (record.status === 503 || record.status === 0) return 'unknown';
    if (record.status < 500) unexpected.push(record);
    return 'refused';
  };

  const stepsOf = (n: number, i: number): PlannedWrite[] => {
    const plan = aPlan({ copay: i });
    const path = `/v1/plans/${plan.objectId}`;
    const key = randomUUID();
    const base = { planId: plan.objectId };
    return [
      { ...base, method: 'POST', path: '/v1/plans', body: plan, version: 1, idempotencyKey: `${key}-create` },
      { ...base, method: 'PATCH', path, body: [{ op: 'remove', path: '/linkedPlanServices/0' }], type: 'application/json-patch+json', ifMatch: '"v1"', version: 2, idempotencyKey: `${key}-patch` },
      ...((i + n) % 4 === 0 ? [{ ...base, method: 'DELETE' as const, path, ifMatch: '"v2"', version: 3, idempotencyKey: `${key}-delete` }] : []),
    ];
  };

  const worker = async (n: number) => {
    for (let i = 0; running; i += 1) {
      for (const write of stepsOf(n, i)) {
        const outcome = await attempt(write);
        if (outcome === 'acknowledged') continue;
        // The later steps of this plan depend on this one: put it aside, leave the plan there.
        if (outcome === 'unknown') pending.push(write);
        await new Promise((resolve) => setTimeout(resolve, 50));
        break;
      }
    }
  };
  const workers = [0, 1, 2].map(worker);

  return {
    requests,
    send,
    acknowledgedCount: () => acknowledged.length,
    async stop(settleMs = 30_000) {
      running = false;
      await Promise.all(workers);
      for (const deadline = Date.now() + settleMs; pending.length > 0 && Date.now() < deadline; ) {
        const write = pending[0]!;
        if ((await attempt(write)) === 'unknown') await new Promise((resolve) => setTimeout(resolve, 200));
        else pending.shift();
      }
      return { acknowledged: [...acknowledged], requests: [...requests], unresolved: pending.length, unexpected: [...unexpected] };
    },
  };
}
