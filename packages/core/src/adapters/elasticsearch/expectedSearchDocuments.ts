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

/**
 * Compares what the index holds for one plan with its head: one line per missing, extra or
 * different document (a source that differs, or an external version outside 1..head version).
 */
export function searchDocumentMismatches(head: SearchHead, found: readonly FoundSearchDocument[]): string[] {
  const key = planKey(head);
  const expected = new Map(expectedSearchDocuments(head).map((document) => [document.id, document]));
  const mismatches: string[] = [];
  for (const hit of found) {
    const id = hit._id ?? '';
    const document = expected.get(id);
    if (!document) mismatches.push(`${key}: extra document ${id}`);
    else if (canonicalJson(hit._source) !== canonicalJson(document.source)) mismatches.push(`${key}: document ${id} differs`);
    else if (hit._version === undefined || hit._version < 1 || hit._version > document.maxVersion) mismatches.push(`${key}: document ${id} at version ${hit._version ?? 'none'}, plan at ${document.maxVersion}`);
    expected.delete(id);
  }
  for (const id of expected.keys()) mismatches.push(`${key}: missing document ${id}`);
  return mismatches;
}
