import type { Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { partitionsOwnedGauge } from './partitionsOwnedGauge.js';
import { serveMetrics } from './serveMetrics.js';

export interface ProjectorMetrics {
  readonly registry: Registry;
  readonly bulkActions: Histogram;
  readonly handled: Counter<'projection' | 'outcome'>;
  readonly partitionsOwned: Gauge<'role'>;
  /** Serves `/metrics` on a port of its own (the projector has no other HTTP surface). */
  serve(port: number, host: string): Promise<Server>;
}

/** Metrics of the projector process; dead letters waiting are read (store and broker) on each scrape. */
export function createProjectorMetrics({ deadLetters }: { deadLetters: () => Promise<Record<string, number>> }): ProjectorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const bulkActions = new Histogram({
    name: 'planledger_bulk_actions',
    help: 'Actions (index or delete) per Elasticsearch bulk request.',
    buckets: [1, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers: [registry],
  });
  const handled = new Counter({
    name: 'planledger_projected_events_total',
    help: 'Events handled by each projection: applied, duplicate (skipped), or failed.',
    labelNames: ['projection', 'outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'planledger_dead_letter_messages',
    help: 'Dead letters waiting for an admin (recorded, not retried or discarded), plus any still in the broker’s dead-letter queue, per projection.',
    labelNames: ['projection'] as const,
    registers: [registry],
    async collect() {
      for (const [projection, count] of Object.entries(await deadLetters())) this.set({ projection }, count);
    },
  });
  return {
    registry,
    bulkActions,
    handled,
    partitionsOwned: partitionsOwnedGauge(registry, 'projector'),
    serve: (port, host) => serveMetrics(registry, port, host),
  };
}
