import type { Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { partitionsOwnedGauge } from './partitionsOwnedGauge.js';
import { serveMetrics } from './serveMetrics.js';

export interface RelayMetrics {
  readonly registry: Registry;
  readonly partitionsOwned: Gauge<'role'>;
  readonly published: Counter<'partition'>;
  serve(port: number, host: string): Promise<Server>;
}

/** Metrics of the relay process. */
export function createRelayMetrics(): RelayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const published = new Counter({ name: 'planledger_relayed_entries_total', help: 'Log entries published (confirmed by the broker) and acknowledged in the log, per partition.', labelNames: ['partition'] as const, registers: [registry] });
  return { registry, partitionsOwned: partitionsOwnedGauge(registry, 'relay'), published, serve: (port, host) => serveMetrics(registry, port, host) };
}
