import type { ConfirmChannel } from 'amqplib';
import type { Redis } from 'ioredis';
import type { Logger } from '@planledger/core';
import type { RedisKeys } from '@planledger/core/redis';
import type { BrokerTopology } from '@planledger/core/rabbitmq';
import { createPartitionLeases } from './createPartitionLeases.js';

export interface RelayOptions {
  /** The relay's own connection: it blocks on XREADGROUP, so it must not be shared. */
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly channel: ConfirmChannel;
  readonly topology: BrokerTopology;
  /** This instance's consumer name; stable across restarts so it finds its own pending entries. */
  readonly consumer: string;
  readonly group?: string;
  readonly batchSize?: number;
  readonly blockMs?: number;
  /** How long a partition stays this instance's after its last renewal. */
  readonly leaseMs?: number;
  readonly logger: Logger;
  /** Called after each confirmed batch (for metrics). */
  readonly onPublished?: (partition: number, count: number) => void;
}

export interface Relay {
  /** Runs until `stop()`; rejects if Redis or the broker fails. */
  run(): Promise<void>;
  stop(): Promise<void>;
  /** The partitions this instance serves right now. */
  owned(): number[];
}

type StreamEntry = [id: string, fields: string[]];
type StreamReply = [stream: string, entries: StreamEntry[]][] | null;

/**
 * Republishes the partition logs to the broker. Each partition is served by one relay instance at
 * a time (a lease in Redis); the instance reads it with a consumer group, publishes each entry as
 * a persistent message, waits for the broker's confirms, and only then XACKs. When it takes over
 * a partition it first claims (XAUTOCLAIM) and re-publishes what a crashed instance left pending,
 * in log order. Delivery is at least once; projectors skip duplicates.
 */
export function createRelay(options: RelayOptions): Relay {
  const { redis, keys, channel, topology, consumer, group = 'relay', batchSize = 200, blockMs = 1000, leaseMs = 10_000, logger } = options;
  const control = redis.duplicate();
  const leases = createPartitionLeases({ redis: control, keys, owner: consumer, leaseMs });
  const streamOf = (partition: number) => keys.log(partition);
  const partitionOfStream = new Map(Array.from({ length: keys.partitions }, (_, p) => [keys.log(p), p]));
  const recovered = new Set<number>();
  let stopping = false;
  let running: Promise<void> | null = null;

  const ensureGroup = async (stream: string) => {
    try {
      await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).startsWith('BUSYGROUP')) throw error;
    }
  };

  const publish = async (reply: StreamReply): Promise<number> => {
    let count = 0;
    for (const [stream, entries] of reply ?? []) {
      const partition = partitionOfStream.get(stream) ?? 0;
      for (const [id, fields] of entries) {
        const event = fieldValue(fields, 'event');
        if (event === null) continue;
        channel.publish(topology.exchange, topology.routingKey(partition), Buffer.from(event), {
          persistent: true,
          contentType: 'application/json',
          // The log holds each event once, in one field: its position names it uniquely.
          messageId: `${partition}/${id}`,
          headers: { position: id, partition },
        });
        count += 1;
      }
    }
    if (count === 0) return 0;
    await channel.waitForConfirms();
    for (const [stream, entries] of reply ?? []) {
      if (entries.length === 0) continue;
      await redis.xack(stream, group, ...entries.map(([id]) => id));
      options.onPublished?.(partitionOfStream.get(stream) ?? 0, entries.length);
    }
    return count;
  };

  /** Takes over what earlier owners of the partition left pending, then publishes it in log order. */
  const recover = async (partition: number) => {
    const stream = streamOf(partition);
    await ensureGroup(stream);
    let claimed = 0;
    for (let start = '0-0'; ; ) {
      const [next, entries] = (await redis.xautoclaim(stream, group, consumer, 0, start, 'COUNT', batchSize)) as [string, StreamEntry[]];
      claimed += entries.length;
      if (next === '0-0') break;
      start = next;
    }
    let republished = 0;
    for (;;) {
      const reply = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', batchSize, 'STREAMS', stream, '0')) as StreamReply;
      const count = await publish(reply);
      if (count === 0) break;
      republished += count;
    }
    if (republished > 0) logger.info({ partition, claimed, republished }, 'relay re-published entries left pending');
    recovered.add(partition);
  };

  const loop = async () => {
    while (!stopping) {
      const owned = await leases.refresh();
      for (const partition of owned) if (!recovered.has(partition)) await recover(partition);
      for (const partition of recovered) if (!owned.includes(partition)) recovered.delete(partition);
      if (owned.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, blockMs));
        continue;
      }
      const streams = owned.map(streamOf);
      const reply = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', batchSize, 'BLOCK', blockMs, 'STREAMS', ...streams, ...streams.map(() => '>'))) as StreamReply;
      await publish(reply);
    }
  };

  return {
    run() {
      running = loop();
      return running;
    },
    async stop() {
      stopping = true;
      await running?.catch(() => undefined);
      await leases.releaseAll();
      control.disconnect();
    },
    owned: () => leases.owned(),
  };
}

function fieldValue(fields: string[], name: string): string | null {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1] ?? null;
  return null;
}
