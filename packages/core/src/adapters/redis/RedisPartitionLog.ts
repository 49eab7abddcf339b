import { Cluster } from 'ioredis';
import type { RedisClient } from './connectRedis.js';
import type { GroupCursor, LogEntry, PartitionLog } from '../../ports/PartitionLog.js';
import type { RedisKeys } from './redisKeys.js';

type StreamEntry = [id: string, fields: string[]];
type StreamReply = [stream: string, entries: StreamEntry[]][] | null;

const POLL_MS = 25;

/**
 * The partition logs on Redis Streams: `read` is XRANGE, the group operations are XREADGROUP,
 * XACK and XAUTOCLAIM. `deliver` blocks its connection: give a blocking reader its own.
 * On a Redis Cluster each partition's stream is in its own slot, so one XREADGROUP cannot read
 * several: `deliver` over several partitions reads each without blocking (together) and, while
 * all are empty, again every `POLL_MS` until `blockMs` passed.
 */
export class RedisPartitionLog implements PartitionLog {
  readonly partitions: number;
  private readonly partitionOfStream: Map<string, number>;
  private readonly groupsMade = new Set<string>();

  constructor(private readonly redis: RedisClient, private readonly keys: RedisKeys) {
    this.partitions = keys.partitions;
    this.partitionOfStream = new Map(Array.from({ length: keys.partitions }, (_, p) => [keys.log(p), p]));
  }

  async read(partition: number, { after, count }: { after: string | null; count: number }): Promise<LogEntry[]> {
    const entries = (await this.redis.xrange(this.keys.log(partition), after ? `(${after}` : '-', '+', 'COUNT', count)) as StreamEntry[];
    return entries.map((entry) => entryOf(partition, entry));
  }

  async length(partition: number): Promise<number> {
    return this.redis.xlen(this.keys.log(partition));
  }

  async deliver(group: string, consumer: string, partitions: readonly number[], { count, blockMs }: { count: number; blockMs: number }): Promise<LogEntry[]> {
    if (partitions.length === 0) return [];
    for (const partition of partitions) await this.ensureGroup(group, partition);
    const streams = partitions.map((p) => this.keys.log(p));
    if (!(this.redis instanceof Cluster) || streams.length === 1) {
      const reply = (await this.redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', ...streams, ...streams.map(() => '>'))) as StreamReply;
      return this.entriesOf(reply);
    }
    const until = Date.now() + blockMs;
    for (;;) {
      // Each partition's share of `count`, so one pass never holds more than `count` in all.
      const each = Math.max(1, Math.floor(count / streams.length));
      const replies = await Promise.all(streams.map((stream) => this.redis.xreadgroup('GROUP', group, consumer, 'COUNT', each, 'STREAMS', stream, '>') as Promise<StreamReply>));
      const entries = replies.flatMap((reply) => this.entriesOf(reply));
      if (entries.length > 0 || Date.now() >= until) return entries;
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, until - Date.now())));
    }
  }

  async pending(group: string, consumer: string, partition: number, { count }: { count: number }): Promise<LogEntry[]> {
    await this.ensureGroup(group, partition);
    const reply = (await this.redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', this.keys.log(partition), '0')) as StreamReply;
    return this.entriesOf(reply);
  }

  async claimPending(group: string, consumer: string, partition: number): Promise<number> {
    await this.ensureGroup(group, partition);
    let claimed = 0;
    for (let start = '0-0'; ; ) {
      const [next, entries] = (await this.redis.xautoclaim(this.keys.log(partition), group, consumer, 0, start, 'COUNT', 500)) as [string, StreamEntry[]];
      claimed += entries.length;
      if (next === '0-0') return claimed;
      start = next;
    }
  }

  async ack(group: string, partition: number, positions: readonly string[]): Promise<void> {
    if (positions.length > 0) await this.redis.xack(this.keys.log(partition), group, ...positions);
  }

  async cursor(group: string, partition: number): Promise<GroupCursor | null> {
    const stream = this.keys.log(partition);
    const groups = ((await this.redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[][]).map(fieldsOf);
    const info = groups.find((g) => g.name === group);
    if (!info) return null;
    const pending = (await this.redis.xpending(stream, group, '-', '+', 1)) as [string, ...unknown[]][];
    const lastDelivered = info['last-delivered-id'] as string | undefined;
    return { oldestPending: pending[0]?.[0] ?? null, lastDelivered: lastDelivered && lastDelivered !== '0-0' ? lastDelivered : null };
  }

  private async ensureGroup(group: string, partition: number): Promise<void> {
    const key = `${group}\u0000${partition}`;
    if (this.groupsMade.has(key)) return;
    try {
      await this.redis.xgroup('CREATE', this.keys.log(partition), group, '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).startsWith('BUSYGROUP')) throw error;
    }
    this.groupsMade.add(key);
  }

  private entriesOf(reply: StreamReply): LogEntry[] {
    return (reply ?? []).flatMap(([stream, entries]) => entries.map((entry) => entryOf(this.partitionOfStream.get(stream) ?? 0, entry)));
  }
}

function entryOf(partition: number, [position, fields]: StreamEntry): LogEntry {
  return { partition, position, json: fieldValue(fields, 'event') ?? '' };
}

function fieldValue(fields: string[] | null, name: string): string | null {
  if (!fields) return null;
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1] ?? null;
  return null;
}

function fieldsOf(flat: unknown[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = flat[i + 1];
  return fields;
}
