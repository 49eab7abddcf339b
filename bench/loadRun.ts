import autocannon from 'autocannon';

export interface LoadFigures {
  readonly rps: number;
  readonly requests: number;
  /** Answers with the expected status. */
  readonly ok: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly seconds: number;
}

/** One autocannon run; `requests` counts every answer, `ok` the 2xx ones. */
export async function loadRun(options: autocannon.Options): Promise<LoadFigures> {
  const started = Date.now();
  const result = await autocannon(options);
  const seconds = (Date.now() - started) / 1000;
  const ok = result['2xx'];
  return {
    rps: Math.round(ok / Math.max(result.duration, 0.001)),
    requests: result.requests.total,
    ok,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    seconds,
  };
}
