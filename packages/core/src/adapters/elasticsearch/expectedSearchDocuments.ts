import { canonicalJson } from '../../canonicalJson.js';
import type { PlanDocument } from '../../planDocument.js';
import { planKey } from '../../planRef.js';
import { planSearchDocuments, type SearchDocument } from './planSearchDocuments.js';

/** A plan as the log knows it: what a verification compares the index with. */
export interface SearchHead {
  readonly org: string;
  readonly planId: string;
  readonly version: number;
  readonly document: PlanDocument | null;
}

/** A document the index must hold for a plan, and the external versions it may carry. */
export interface ExpectedSearchDocument extends SearchDocument {
  /**
   * The highest external version the document may carry: the plan's version. Documents are
   * written incrementally, so an unchanged one keeps the version at which it was last written,
   * anywhere from 1 to this; a higher one would make the index refuse the plan's next writes.
   */
  readonly maxVersion: number;
}

/** A document found in the index for the plan (a search hit with `version: true`). */
export interface FoundSearchDocument {
  readonly _id?: string | undefined;
  readonly _version?: number | undefined;
  readonly _source?: unknown;
}

/** The documents the index must hold for the plan's head: none for a deleted plan. */
export function expectedSearchDocuments(head: SearchHead): ExpectedSearchDocument[] {
  if (head.document === null) return [];
  return planSearchDocuments(head.document).map((document) => ({ ...document, maxVersion: head.version }));
}

/** How one document the index holds (or should hold) differs from what the plan's head says. */
export interface SearchDocumentDifference {
  readonly kind: 'missing' | 'extra' | 'staleVersion' | 'differentContent';
  /** The document's `_id`. */
  readonly id: string;
  /** The external version the index holds (null when the document is missing). */
  readonly actualVersion: number | null;
  readonly detail: string;
}

/**
 * Compares what the index holds for one plan with its head, document by document: missing, extra,
 * different source, or an external version outside 1..head version.
 */
export function compareSearchDocuments(head: SearchHead, found: readonly FoundSearchDocument[]): SearchDocumentDifference[] {
  const key = planKey(head);
  const expected = new Map(expectedSearchDocuments(head).map((document) => [document.id, document]));
  const differences: SearchDocumentDifference[] = [];
  for (const hit of found) {
    const id = hit._id ?? '';
    const version = hit._version ?? null;
    const document = expected.get(id);
    if (!document) differences.push({ kind: 'extra', id, actualVersion: version, detail: `${key}: extra document ${id}` });
    else if (canonicalJson(hit._source) !== canonicalJson(document.source)) differences.push({ kind: 'differentContent', id, actualVersion: version, detail: `${key}: document ${id} differs` });
    else if (version === null || version < 1 || version > document.maxVersion) differences.push({ kind: 'staleVersion', id, actualVersion: version, detail: `${key}: document ${id} at version ${version ?? 'none'}, plan at ${document.maxVersion}` });
    expected.delete(id);
  }
  for (const id of expected.keys()) differences.push({ kind: 'missing', id, actualVersion: null, detail: `${key}: missing document ${id}` });
  return differences;
}

/** `compareSearchDocuments` as one line per difference. */
export function searchDocumentMismatches(head: SearchHead, found: readonly FoundSearchDocument[]): string[] {
  return compareSearchDocuments(head, found).map((difference) => difference.detail);
}
