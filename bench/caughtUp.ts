/**
 * Waits until the relay and every projection have handled the whole log, as the api reports it
 * on `/health/ready` (`lag.<name>.entries`, whatever projections there are). Returns the seconds waited.
 */
export async function waitCaughtUp(baseUrl: string, { timeoutMs = 600_000, pollMs = 200 } = {}): Promise<number> {
  const started = Date.now();
  for (;;) {
    const body = (await fetch(`${baseUrl}/health/ready`).then((r) => r.json(), () => ({}))) as { lag?: Record<string, { entries?: number }> };
    const lags = Object.values(body.lag ?? {});
    if (lags.length > 0 && lags.every((lag) => lag.entries === 0)) return (Date.now() - started) / 1000;
    if (Date.now() - started > timeoutMs) throw new Error(`projections not caught up after ${timeoutMs} ms: ${JSON.stringify(body.lag)}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
