import type { SearchRequest } from '../search/parseSearchRequest.js';

export interface SearchHit {
  readonly planId: string;
  readonly version: number;
  readonly org: string;
  readonly planType: string | null;
  readonly creationDate: string | null;
  /** Relevance, when the search has full text. */
  readonly score: number | null;
}

export interface SearchPage {
  readonly total: number;
  readonly hits: SearchHit[];
  /** Cursor of the next page, or null on the last. */
  readonly next: string | null;
}

/** Plan search over the projected index; `org` null searches every org (admins). */
export interface PlanSearch {
  search(request: SearchRequest, scope: { org: string | null }): Promise<SearchPage>;
}
