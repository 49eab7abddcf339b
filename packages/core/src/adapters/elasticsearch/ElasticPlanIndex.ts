import type { Client } from '@elastic/elasticsearch';
import type { PlanChange, ProjectionTarget } from '../../ports/PlanChange.js';
import { planSearchDocuments } from './planSearchDocuments.js';

type BulkLine = Record<string, unknown>;

/**
 * Writes a plan's change into the index: every document of the plan indexed with
 * `version_type=external` = plan version, and the documents of objects that no longer exist
 * deleted at that version. Replaying an old change is refused by Elasticsearch as a version
 * conflict, which counts as done.
 */
export class ElasticPlanIndex implements ProjectionTarget {
  readonly name = 'search';

  constructor(private readonly client: Client, private readonly alias: string, private readonly refresh: boolean | 'wait_for' = false) {}

  async apply({ event, before, after }: PlanChange): Promise<void> {
    const version = event.version;
    const kept = after.document ? planSearchDocuments(after.document, version) : [];
    const keptIds = new Set(kept.map((document) => document.id));
    const gone = before.document ? planSearchDocuments(before.document, before.version).filter((d) => !keptIds.has(d.id)) : [];
    const operations: BulkLine[] = [];
    for (const document of kept) {
      operations.push({ index: { _index: this.alias, _id: document.id, routing: document.routing, version, version_type: 'external' } });
      operations.push(document.source);
    }
    for (const document of gone) {
      operations.push({ delete: { _index: this.alias, _id: document.id, routing: document.routing, version, version_type: 'external' } });
    }
    if (operations.length === 0) return;
    const response = await this.client.bulk({ operations, refresh: this.refresh });
    if (!response.errors) return;
    const failures = response.items
      .map((item) => Object.values(item)[0])
      .filter((result) => result?.error && result.status !== 409 && !(result.status === 404 && result.result === 'not_found'));
    if (failures.length > 0) {
      throw new Error(`Elasticsearch refused ${failures.length} document(s) of ${event.planId}@${version}: ${JSON.stringify(failures[0]?.error)}`);
    }
  }
}
