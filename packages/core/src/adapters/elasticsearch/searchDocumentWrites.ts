import type { PlanDocument } from '../../planDocument.js';
import { changedSearchDocuments, sameSearchSource, searchDocumentsById, type SearchDocument } from './planSearchDocuments.js';

/** What one change of a plan must do to its search documents. */
export interface SearchDocumentWrites {
  /** Documents that are new or whose source changed: index them. */
  readonly index: SearchDocument[];
  /** Documents of objects that no longer exist: delete them (their source is the old one). */
  readonly delete: SearchDocument[];
}

/**
 * The writes that turn `before`'s search documents into `after`'s: index every document that is
 * new or whose source differs (the same document object, or the same canonical JSON), delete every document whose object is
 * gone, leave the rest alone. Correct for any pair of states of one plan, whatever lies between
 * them (a coalesced run of versions): null is no plan, before a create or a fresh rebuild
 * generation, and after a delete. With `passed` (the states in between), the writes are right
 * whichever of `before` and `passed` the index holds.
 */
export function searchDocumentWrites(before: PlanDocument | null, after: PlanDocument | null, passed: readonly (PlanDocument | null)[] = []): SearchDocumentWrites {
  // One change between two states: only where they differ (the usual case, and its cost follows the change).
  const changed = passed.length === 0 && before !== null && after !== null ? changedSearchDocuments(before, after) : null;
  if (changed !== null) return { index: changed.flatMap((c) => (c.after ? [c.after] : [])), delete: changed.flatMap((c) => (c.after || !c.before ? [] : [c.before])) };
  // Every state the index may hold: `before`, or any the change passed through.
  const priors = [before, ...passed].map(searchDocumentsById);
  const next = searchDocumentsById(after);
  const index: SearchDocument[] = [];
  for (const [id, document] of next) {
    if (priors.some((old) => { const previous = old.get(id); return previous === undefined || !sameSearchSource(previous, document); })) index.push(document);
  }
  const gone = new Map<string, SearchDocument>();
  for (const old of priors) for (const [id, document] of old) if (!next.has(id)) gone.set(id, document);
  return { index, delete: [...gone.values()] };
}
