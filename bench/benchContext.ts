import type { Client } from '@elastic/elasticsearch';
import type { RedisClient } from '../packages/core/src/adapters/redis/index.js';
import type { BenchSizes } from './benchSizes.js';
import type { Figure } from './figureTable.js';

/** What every part of the ratio bench gets: the shared services' clients, the sizes, a progress line. */
export interface BenchContext {
  readonly redis: RedisClient;
  readonly es: Client;
  readonly sizes: BenchSizes;
  readonly say: (line: string) => void;
}

export type BenchPart = (context: BenchContext) => Promise<Figure[]>;

export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
};
