import type { RedisClient } from '@planledger/core/redis';
import { evolvePlan, refOf, type EventLog, type PlanEvent } from '@planledger/core';

export interface RelayoutOptions {
  readonly redis: RedisClient;
  /** Key prefix of the log as an older release laid it out (same Redis). */
  readonly fromPrefix: string;
  /** How many partitions the old log had. */
  readonly fromPartitions: number;
  /** The log in today's layout to copy into (another prefix; empty, or partly filled by an earlier run). */
  readonly to: EventLog;
  readonly batchSize?: number;
  readonly onProgress?: (copied: number, skipped: number) => void;
}

/**
 * Copies every event of a log written under an older key layout into `to`, in each old
 * partition's order (so each plan's events stay in order), through the ordinary atomic append:
 * heads, version records and snapshots come out in today's layout (each event stored once, in
 * its partition's stream), keyed by org and objectId, with the events themselves (versions,
 * times, actors) unchanged. Only the old streams' `event` field is read, so any earlier layout
 * copies: objectId-keyed plans, and the two-copy layout with a per-plan history list. An event already in
 * the target (a second run after an interruption) is skipped, so the copy can be resumed.
 */
export async function relayoutLog({ redis, fromPrefix, fromPartitions, to, batchSize = 500, onProgress }: RelayoutOptions): Promise<{ copied: number; skipped: number }> {
  let copied = 0;
  let skipped = 0;
  for (let partition = 0; partition < fromPartitions; partition += 1) {
    const stream = `${fromPrefix}:{p${partition}}:log`;
    for (let from = '-'; ; ) {
      const entries = await redis.xrange(stream, from, '+', 'COUNT', batchSize);
      if (entries.length === 0) break;
      for (const [, fields] of entries) {
        const json = fields[fields.indexOf('event') + 1];
        if (json === undefined) continue;
        const event = JSON.parse(json) as PlanEvent;
        const head = await to.head(refOf(event));
        if ((head?.version ?? 0) >= event.version) {
          skipped += 1;
          continue;
        }
        const next = evolvePlan({ version: head?.version ?? 0, document: head?.document ?? null }, event);
        await to.append({ event, document: next.document });
        copied += 1;
      }
      from = `(${entries.at(-1)![0]}`;
      onProgress?.(copied, skipped);
    }
  }
  return { copied, skipped };
}
