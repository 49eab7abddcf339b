import { readFileSync } from 'node:fs';
import { serversOf, type RedisClient } from '@planledger/core/redis';
import type { Client } from '@elastic/elasticsearch';
import { pidsByCommand } from '../../../../bench/processCpu.js';
import type { Stack } from '../stackProcesses.js';

/** One process (or Redis node) whose memory the soak follows. */
export interface MemorySubject {
  readonly name: string;
  /** Bytes now, or null when it cannot be read (process gone). */
  read(): Promise<number | null>;
}

/** Anonymous resident memory of a process (`RssAnon` in /proc/<pid>/status): RSS without the file pages it maps (Elasticsearch's index files, shared libraries). */
export function anonymousRss(pid: number): number | null {
  try {
    const kb = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

const commandLine = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

const ofPid = (name: string, pid: number): MemorySubject => ({ name, read: async () => anonymousRss(pid) });

/**
 * What a soak measures: every stack instance, each Redis node (its RSS less the data it stores:
 * an event store keeps every event, so the data grows by design; the rest must not), every
 * RabbitMQ `beam.smp` and every Elasticsearch JVM.
 */
export async function memorySubjects({ stack, redis, es }: { stack: Stack; redis: RedisClient; es: Client }): Promise<MemorySubject[]> {
  const redisNodes = await serversOf(redis);
  const redisSubjects = redisNodes.map((node): MemorySubject => ({
    name: `redis ${node.options.port} (rss − dataset)`,
    read: async () => {
      const info = await node.info('memory').catch(() => '');
      const field = (name: string) => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1] ?? Number.NaN);
      const value = field('used_memory_rss') - field('used_memory_dataset');
      return Number.isFinite(value) ? value : null;
    },
  }));
  const nodes = (await es.nodes.info({ metric: 'process' })) as unknown as { nodes: Record<string, { name: string; process?: { id?: number } }> };
  const esSubjects = Object.values(nodes.nodes).flatMap((node) => (node.process?.id ? [ofPid(`elasticsearch ${node.name}`, node.process.id)] : []));
  const own = Object.entries(stack.processes).flatMap(([name, child]) => (child.pid ? [ofPid(name, child.pid)] : []));
  // On the RabbitMQ cluster its own nodes, else the machine's broker.
  const beams = pidsByCommand('beam.smp');
  const clusterBeams = beams.filter((pid) => commandLine(pid).includes('planledger-rabbit'));
  const rabbit = (stack.env.AMQP_URLS && clusterBeams.length > 0 ? clusterBeams : beams).map((pid) => ofPid(`beam.smp ${pid}`, pid));
  return [...own, ...redisSubjects, ...rabbit, ...esSubjects];
}

export interface MemoryVerdict {
  readonly name: string;
  readonly afterWarmUp: number;
  readonly atEnd: number;
  readonly flat: boolean;
}

const peak = (values: number[]) => (values.length === 0 ? Number.NaN : Math.max(...values));

/**
 * Flat after warm-up: the peak of the last quarter of the samples is at most 10% (or 16 MiB, the
 * larger) above the peak of the samples just after the warm-up (30–50% of the run). Peaks, not
 * levels: a garbage-collected process saws up and down (a relay between ~36 and ~68 MiB every few
 * minutes in the cluster soak), and a leak raises its tops.
 */
export function judgeMemory(name: string, samples: readonly (number | null)[]): MemoryVerdict {
  const at = (from: number, to: number) => samples.slice(Math.floor(samples.length * from), Math.ceil(samples.length * to)).filter((v): v is number => v !== null);
  const afterWarmUp = peak(at(0.3, 0.5));
  const atEnd = peak(at(0.75, 1));
  return { name, afterWarmUp, atEnd, flat: atEnd - afterWarmUp <= Math.max(0.1 * afterWarmUp, 16 * 1024 * 1024) };
}
