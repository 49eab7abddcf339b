import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);

export interface XaddLimit {
  readonly rps: number;
  readonly tool: 'redis-benchmark' | 'ioredis';
}

/**
 * Raw `XADD <key> * <fields…>` from `connections` concurrent connections on the log's Redis (the
 * durable one: AOF appendfsync always), by `redis-benchmark` when the machine has it, else by
 * as many ioredis clients. Deletes the key afterwards.
 */
export async function rawXaddRate(redisUrl: string, key: string, fields: readonly string[], { connections, requests }: { connections: number; requests: number }): Promise<XaddLimit> {
  const url = new URL(redisUrl);
  const cleanup = new Redis(redisUrl);
  try {
    try {
      const { stdout } = await run('redis-benchmark', ['-h', url.hostname, '-p', url.port || '6379', '-c', String(connections), '-n', String(requests), '--csv', 'XADD', key, '*', ...fields], { maxBuffer: 1 << 24 });
      const row = stdout.trim().split('\n').at(-1) ?? '';
      // The command (first column) holds the event JSON, quotes and commas included: count columns from the end.
      const rps = Number(row.split(',').at(-7)?.replace(/"/g, ''));
      if (Number.isFinite(rps) && rps > 0) return { rps: Math.round(rps), tool: 'redis-benchmark' };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return { rps: await ioredisXaddRate(redisUrl, key, fields, connections, requests), tool: 'ioredis' };
  } finally {
    await cleanup.del(key);
    cleanup.disconnect();
  }
}

async function ioredisXaddRate(redisUrl: string, key: string, fields: readonly string[], connections: number, requests: number): Promise<number> {
  const clients = Array.from({ length: connections }, () => new Redis(redisUrl));
  await Promise.all(clients.map((client) => client.ping()));
  let left = requests;
  const started = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (client) => {
      while (left-- > 0) await client.xadd(key, '*', ...fields);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clients.forEach((client) => client.disconnect());
  return Math.round(requests / seconds);
}
