import { Gauge, type Registry } from 'prom-client';

/** `planledger_partitions_owned{role}`: how many partitions this instance serves now (0 until its first share). */
export function partitionsOwnedGauge(registry: Registry, role: 'relay' | 'projector'): Gauge<'role'> {
  const gauge = new Gauge({ name: 'planledger_partitions_owned', help: 'Partitions this instance serves now (its share among the live instances of its role).', labelNames: ['role'] as const, registers: [registry] });
  gauge.set({ role }, 0);
  return gauge;
}
