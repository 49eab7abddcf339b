import { canonicalJson } from '../../canonicalJson.js';
import type { PlanDocument } from '../../planDocument.js';
import { planSearchDocuments, type SearchDocument } from './planSearchDocuments.js';

/** What one change of a plan must do to its search documents. */
export interface SearchDocumentWrites {
  /** Documents that are new or whose source changed: index them. */
  readonly index: SearchDocument[];
  /** Documents of objects that no longer exist: delete them (their source is the old one). */
  readonly delete: SearchDocument[];
}

/**
 * The writes that turn `before`'s search documents into `after`'s: index every document that is
 * new or whose source differs (compared as canonical JSON), delete every document whose object is
 * gone, leave the rest alone. Correct for any pair of states of one plan, whatever lies between
 * them (a coalesced run of versions): null is no plan, before a create or a fresh rebuild
 * generation, and after a delete.
 */
export function searchDocumentWrites(before: PlanDocument | null, after: PlanDocument | null): SearchDocumentWrites {
  const old = byId(before);
  const next = byId(after);
  const index: SearchDocument[] = [];
  for (const [id, document] of next) {
    const previous = old.get(id);
    if (previous === undefined || canonicalJson(previous.source) !== canonicalJson(document.source)) index.push(document);
  }
  const gone = [...old.values()].filter((document) => !next.has(document.id));
  return { index, delete: gone };
}

/** One document per id; should two objects share an objectId, the later wins, as it would in a bulk request. */
function byId(plan: PlanDocument | null): Map<string, SearchDocument> {
  return new Map(plan === null ? [] : planSearchDocuments(plan).map((document) => [document.id, document]));
}
