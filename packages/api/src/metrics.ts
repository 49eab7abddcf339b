import type { Context, Next } from 'koa';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { EventLog } from '@planledger/core';
import type { LagReport } from './lagReport.js';

export interface ApiMetrics {
  readonly registry: Registry;
  /** The text `/metrics` answers: this registry's, or a whole worker pool's. */
  text(): Promise<string>;
  /** Times every request, labelled by the matched route (not the raw path, to bound cardinality). */
  middleware(ctx: Context, next: Next): Promise<void>;
  /** The same log, with every append timed. */
  timeAppends(log: EventLog): EventLog;
}

export interface ApiMetricsOptions {
  readonly lag?: () => Promise<LagReport>;
  /** How `/metrics` gathers its text from this process's registry (default: the registry alone; in a worker pool, every worker's). */
  readonly gather?: (registry: Registry) => () => Promise<string>;
}

/** One registry per app, so tests and several apps in a process never share series. */
export function createApiMetrics({ lag, gather }: ApiMetricsOptions = {}): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'planledger_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const appendDuration = new Histogram({
    name: 'planledger_append_duration_seconds',
    help: 'Latency of the atomic append to the event log (Redis, AOF appendfsync always).',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [registry],
  });
  if (lag) {
    // Lag is read from Redis when Prometheus scrapes, so it is never stale.
    let reading: Promise<LagReport> | null = null;
    const current = () => (reading ??= lag().finally(() => setTimeout(() => (reading = null), 500)));
    new Gauge({
      name: 'planledger_lag_entries',
      help: 'Log entries not yet handled, by consumer (relay or projection) and partition.',
      labelNames: ['consumer', 'partition'] as const,
      registers: [registry],
      // Every worker of a pool reads the same lag: aggregated, it is one reading, not their sum.
      aggregator: 'max',
      async collect() {
        const report = await current();
        for (const [consumer, summary] of [['relay', report.relay] as const, ...Object.entries(report.projections)]) {
          for (const p of summary.partitions) this.set({ consumer, partition: String(p.partition) }, p.entries);
        }
      },
    });
    new Gauge({
      name: 'planledger_lag_seconds',
      help: 'Age of the oldest log entry not yet handled, by consumer.',
      labelNames: ['consumer'] as const,
      registers: [registry],
      aggregator: 'max',
      async collect() {
        const report = await current();
        this.set({ consumer: 'relay' }, report.relay.maxMs / 1000);
        for (const [consumer, summary] of Object.entries(report.projections)) this.set({ consumer }, summary.maxMs / 1000);
      },
    });
  }
  const text = gather ? gather(registry) : () => registry.metrics();
  return {
    registry,
    text,
    async middleware(ctx, next) {
      const stop = requestDuration.startTimer();
      try {
        await next();
      } finally {
        stop({ method: ctx.method, route: (ctx as Context & { _matchedRoute?: string })._matchedRoute ?? 'unmatched', status: String(ctx.status) });
      }
    },
    timeAppends(log) {
      return {
        async append(request) {
          const stop = appendDuration.startTimer();
          try {
            const result = await log.append(request);
            stop({ outcome: result.kind });
            return result;
          } catch (error) {
            stop({ outcome: 'refused' });
            throw error;
          }
        },
        head: (plan) => log.head(plan),
        versions: (plans) => log.versions(plans),
        events: (plan, range) => log.events(plan, range),
        stateAt: (plan, version) => log.stateAt(plan, version),
        versionAt: (plan, at) => log.versionAt(plan, at),
        idempotencyRecord: (plan, key) => log.idempotencyRecord(plan, key),
        claimIdempotencyKey: (key, owner, ttlSeconds) => log.claimIdempotencyKey(key, owner, ttlSeconds),
        releaseIdempotencyKey: (key, fingerprint) => log.releaseIdempotencyKey(key, fingerprint),
      };
    },
  };
}
