import type { Client } from '@elastic/elasticsearch';
import type { PlanChange, ProjectionTarget } from '../../ports/PlanChange.js';
import { createBulkBatcher, type BulkBatcher, type BulkBatcherOptions, type BulkItemResult, type BulkLine } from './createBulkBatcher.js';
import { planSearchDocuments } from './planSearchDocuments.js';

/** Elasticsearch refused some documents of a change: transient (429, 5xx) or not. */
export class BulkRejected extends Error {
  override readonly name = 'BulkRejected';

  constructor(message: string, readonly transient: boolean) {
    super(message);
  }
}

/**
 * Writes a plan's change into the index: every document of the plan indexed with
 * `version_type=external` = plan version, and the documents of objects that no longer exist
 * deleted at that version. Replaying an old change is refused by Elasticsearch as a version
 * conflict, which counts as done. Writes of concurrent changes share `_bulk` requests.
 */
export class ElasticPlanIndex implements ProjectionTarget {
  readonly name = 'search';
  private readonly batcher: BulkBatcher;

  constructor(client: Client, private readonly alias: string, batching: Omit<BulkBatcherOptions, 'client'> = {}) {
    this.batcher = createBulkBatcher({ client, ...batching });
  }

  async apply({ event, before, after }: PlanChange): Promise<void> {
    const version = event.version;
    const kept = after.document ? planSearchDocuments(after.document, version) : [];
    const keptIds = new Set(kept.map((document) => document.id));
    const gone = before.document ? planSearchDocuments(before.document, before.version).filter((d) => !keptIds.has(d.id)) : [];
    const lines: BulkLine[] = [];
    for (const document of kept) {
      lines.push({ index: { _index: this.alias, _id: document.id, routing: document.routing, version, version_type: 'external' } });
      lines.push(document.source);
    }
    for (const document of gone) {
      lines.push({ delete: { _index: this.alias, _id: document.id, routing: document.routing, version, version_type: 'external' } });
    }
    const failures = (await this.batcher.submit(lines, kept.length + gone.length)).filter(isFailure);
    if (failures.length > 0) {
      const transient = failures.every((f) => f.status === 429 || f.status >= 500);
      throw new BulkRejected(`Elasticsearch refused ${failures.length} document(s) of ${event.planId}@${version}: ${JSON.stringify(failures[0]?.error)}`, transient);
    }
  }
}

/** A version conflict means a newer version is already there; a missing document on delete is already gone. */
function isFailure(result: BulkItemResult): boolean {
  return result.error !== undefined && result.status !== 409 && !(result.status === 404 && result.result === 'not_found');
}
