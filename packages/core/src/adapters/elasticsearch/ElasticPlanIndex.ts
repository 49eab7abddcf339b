import type { Client } from '@elastic/elasticsearch';
import type { PlanChange, ProjectionTarget } from '../../ports/PlanChange.js';
import { batcherOf, bulkActionLine, bulkSourceLine, type BulkBatcher, type BulkBatching, type BulkItemResult } from './createBulkBatcher.js';
import { searchDocumentWrites } from './searchDocumentWrites.js';

/** Elasticsearch refused some documents of a change: transient (429, 5xx) or not. */
export class BulkRejected extends Error {
  override readonly name = 'BulkRejected';

  constructor(message: string, readonly transient: boolean) {
    super(message);
  }
}

/**
 * Writes a plan's change into the index, incrementally: only the documents whose source differs
 * between `before` and `after` are indexed, and the documents of objects that are gone deleted,
 * each with `version_type=external` = `after.version`. So every document's external version is
 * the plan version at which it was last written; an unchanged document keeps an older one. A
 * one-field PATCH of a nested object writes 1 document, whatever the plan's size.
 *
 * Replaying the same change is refused by Elasticsearch as a version conflict, which counts as
 * done. Older changes are kept out by the runner's next-version rule over the projection state
 * (per-document versions alone cannot refuse every stale change once versions are coalesced, and
 * Elasticsearch forgets a delete's version after `index.gc_deletes`). The diff assumes the index
 * holds `before`'s documents: a runner must not record a state older than one whose writes may
 * already be in the index (redo an interrupted change up to at least the version it attempted).
 * Writes of concurrent changes share `_bulk` requests.
 */
export class ElasticPlanIndex implements ProjectionTarget {
  readonly name = 'search';
  private readonly batcher: BulkBatcher;

  constructor(client: Client, private readonly alias: string, batching: BulkBatching = {}) {
    this.batcher = batcherOf(client, batching);
  }

  async apply({ event, before, after, passed }: PlanChange): Promise<void> {
    const version = after.version;
    const writes = searchDocumentWrites(before.document, after.document, passed);
    const actions = writes.index.length + writes.delete.length;
    if (actions === 0) return;
    let ndjson = '';
    for (const document of writes.index) ndjson += bulkActionLine('index', this.alias, document.id, document.routing, version) + bulkSourceLine(document.source);
    for (const document of writes.delete) ndjson += bulkActionLine('delete', this.alias, document.id, document.routing, version);
    await submitOrRefuse(this.batcher, ndjson, actions, `document(s) of ${event.planId}@${version}`);
  }
}

/**
 * Submits a change's bulk actions (NDJSON) and throws BulkRejected (transient when every refusal is a 429 or
 * 5xx) if Elasticsearch refused any action for another reason than a newer version already there.
 */
export async function submitOrRefuse(batcher: BulkBatcher, ndjson: string, actions: number, what: string): Promise<void> {
  const failures = (await batcher.submit(ndjson, actions)).filter(isBulkFailure);
  if (failures.length === 0) return;
  const transient = failures.every((f) => f.status === 429 || f.status >= 500);
  throw new BulkRejected(`Elasticsearch refused ${failures.length} ${what}: ${JSON.stringify(failures[0]?.error)}`, transient);
}

/** A version conflict means a newer version is already there; a missing document on delete is already gone. */
export function isBulkFailure(result: BulkItemResult): boolean {
  return result.error !== undefined && result.status !== 409 && !(result.status === 404 && result.result === 'not_found');
}
