import type { Client, estypes } from '@elastic/elasticsearch';

/** One action's outcome in a bulk answer. */
export interface BulkItemResult {
  readonly status: number;
  readonly result?: string;
  readonly error?: unknown;
}

export interface BulkBatcher {
  /**
   * Queues `actions` actions, given as NDJSON text (each action's line, then its source line if it
   * has one, every line ending in a newline: `bulkActionLine`, `bulkSourceLine`), and resolves
   * with their results once flushed.
   */
  submit(ndjson: string, actions: number): Promise<BulkItemResult[]>;
}

/**
 * The line of one bulk action on a document, with its routing and external version. Written as
 * text, not as an object for the client to serialize: the client's serializer appends line after
 * line to one string, and then measures and encodes it whole: a quarter of what a rebuild of
 * 40,000 events allocated. As text, the rebuild allocates 13% less.
 */
export function bulkActionLine(action: 'index' | 'delete', index: string, id: string, routing: string, version: number): string {
  return `{"${action}":{"_index":${JSON.stringify(index)},"_id":${JSON.stringify(id)},"routing":${JSON.stringify(routing)},"version":${version},"version_type":"external"}}\n`;
}

/** The source line that follows an `index` action. */
export const bulkSourceLine = (source: object): string => `${JSON.stringify(source)}\n`;

export interface BulkBatcherOptions {
  readonly client: Client;
  /** Flush once this many actions are queued. */
  readonly maxActions?: number;
  /** Flush at the latest this long after the first action was queued. */
  readonly maxWaitMs?: number;
  readonly refresh?: boolean | 'wait_for';
  /** Told the size of every bulk request sent (for metrics). */
  readonly onFlush?: (actions: number) => void;
}

/** A target's bulk requests: a batcher it shares with other targets, or the options of its own. */
export type BulkBatching = BulkBatcher | Omit<BulkBatcherOptions, 'client'>;

/** `batching` when it is a batcher already, else a new one on `client` with those options. */
export function batcherOf(client: Client, batching: BulkBatching = {}): BulkBatcher {
  return 'submit' in batching ? batching : createBulkBatcher({ client, ...batching });
}

/**
 * What a bulk answer is cut to (`filter_path`): each item's status, result and error, all a
 * caller reads. Whole, an item also names its index, id, version, shards, sequence number and
 * term: four times the bytes, for Elasticsearch to write and for this process to parse.
 */
export const BULK_ITEM_FIELDS = ['items.*.status', 'items.*.result', 'items.*.error'];

interface Pending {
  readonly ndjson: string;
  readonly actions: number;
  resolve(results: BulkItemResult[]): void;
  reject(error: unknown): void;
}

/**
 * Gathers the writes of concurrent changes into `_bulk` requests, batched by size and time: one
 * request carries many plans' documents, while each caller still learns exactly how its own
 * actions went. A request that fails as a whole fails every change in it. Targets of several
 * indices can share one batcher (each action names its index): Elasticsearch spends a translog
 * fsync and per-request work on every request, besides its documents.
 */
export function createBulkBatcher({ client, maxActions = 1000, maxWaitMs = 10, refresh = false, onFlush }: BulkBatcherOptions): BulkBatcher {
  let queue: Pending[] = [];
  let queuedActions = 0;
  let timer: NodeJS.Timeout | null = null;

  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = queue;
    const actions = queuedActions;
    queue = [];
    queuedActions = 0;
    if (batch.length === 0) return;
    try {
      // The transport sends a string body as it is (it serializes arrays only): one join of the changes' texts.
      const operations = batch.map((p) => p.ndjson).join('') as unknown as estypes.BulkRequest['operations'];
      const response = await client.bulk({ operations, refresh, filter_path: BULK_ITEM_FIELDS });
      onFlush?.(actions);
      let offset = 0;
      for (const pending of batch) {
        const items = response.items.slice(offset, offset + pending.actions).map((item) => Object.values(item)[0] as BulkItemResult);
        offset += pending.actions;
        pending.resolve(items);
      }
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  };

  return {
    submit(ndjson, actions) {
      if (actions === 0) return Promise.resolve([]);
      return new Promise<BulkItemResult[]>((resolve, reject) => {
        queue.push({ ndjson, actions, resolve, reject });
        queuedActions += actions;
        if (queuedActions >= maxActions) void flush();
        else timer ??= setTimeout(() => void flush(), maxWaitMs);
      });
    },
  };
}
