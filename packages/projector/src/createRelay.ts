import type { ConfirmChannel } from 'amqplib';
import type { Redis } from 'ioredis';
import type { Logger } from '@planledger/core';
import type { RedisKeys } from '@planledger/core/redis';
import type { BrokerTopology } from '@planledger/core/rabbitmq';

export interface RelayOptions {
  /** A connection the relay may block on (XREADGROUP BLOCK); not shared with other work. */
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly channel: ConfirmChannel;
  readonly topology: BrokerTopology;
  readonly consumer: string;
  readonly group?: string;
  readonly batchSize?: number;
  readonly blockMs?: number;
  readonly logger: Logger;
}

export interface Relay {
  /** Runs until `stop()`; rejects if Redis or the broker fails. */
  run(): Promise<void>;
  stop(): Promise<void>;
}

type StreamReply = [stream: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * Republishes the partition logs to the broker: reads with a consumer group, publishes each entry
 * as a persistent message, waits for the broker's confirms, and only then XACKs. A crash between
 * publish and XACK re-publishes on restart (at least once; projectors skip duplicates).
 */
export function createRelay({ redis, keys, channel, topology, consumer, group = 'relay', batchSize = 200, blockMs = 1000, logger }: RelayOptions): Relay {
  const streams = Array.from({ length: keys.partitions }, (_, partition) => keys.log(partition));
  const partitionOfStream = new Map(streams.map((stream, partition) => [stream, partition]));
  let stopping = false;
  let running: Promise<void> | null = null;

  const ensureGroups = async () => {
    for (const stream of streams) {
      try {
        await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
      } catch (error) {
        if (!String((error as Error).message).startsWith('BUSYGROUP')) throw error;
      }
    }
  };

  const publishBatch = async (reply: StreamReply): Promise<number> => {
    let count = 0;
    for (const [stream, entries] of reply ?? []) {
      const partition = partitionOfStream.get(stream) ?? 0;
      for (const [id, fields] of entries) {
        const event = fieldValue(fields, 'event');
        if (event === null) continue;
        channel.publish(topology.exchange, topology.routingKey(partition), Buffer.from(event), {
          persistent: true,
          contentType: 'application/json',
          messageId: `${fieldValue(fields, 'planId')}@${fieldValue(fields, 'version')}`,
          headers: { position: id, partition },
        });
        count += 1;
      }
    }
    if (count === 0) return 0;
    await channel.waitForConfirms();
    for (const [stream, entries] of reply ?? []) {
      if (entries.length > 0) await redis.xack(stream, group, ...entries.map(([id]) => id));
    }
    return count;
  };

  const read = (id: '0' | '>', block: boolean) =>
    (block
      ? redis.xreadgroup('GROUP', group, consumer, 'COUNT', batchSize, 'BLOCK', blockMs, 'STREAMS', ...streams, ...streams.map(() => id))
      : redis.xreadgroup('GROUP', group, consumer, 'COUNT', batchSize, 'STREAMS', ...streams, ...streams.map(() => id))) as Promise<StreamReply>;

  const loop = async () => {
    await ensureGroups();
    // Entries this consumer read but never acknowledged (it crashed after publishing): publish again.
    for (let reply = await read('0', false); (await publishBatch(reply)) > 0; reply = await read('0', false)) {
      logger.info('relay re-published entries left pending by an earlier run');
    }
    while (!stopping) {
      const published = await publishBatch(await read('>', true));
      if (published > 0) logger.debug({ published }, 'relay published');
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
    },
  };
}

function fieldValue(fields: string[], name: string): string | null {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1] ?? null;
  return null;
}
