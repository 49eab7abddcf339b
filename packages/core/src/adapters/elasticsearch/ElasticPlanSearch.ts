import type { Client } from '@elastic/elasticsearch';
import type { PlanSearch, SearchPage } from '../../ports/PlanSearch.js';
import type { PlanRef } from '../../planRef.js';
import { encodeSearchCursor } from '../../search/parseSearchRequest.js';
import { compileSearchQuery } from './compileSearchQuery.js';

interface PlanSource {
  planId?: string;
  _org?: string;
  planType?: string;
  creationDate?: string;
}

export interface ElasticPlanSearchOptions {
  /**
   * The current version of each plan of a page (null when unknown), e.g. read from the log's
   * heads. Search documents carry no plan version (a change rewrites only the documents it
   * changed), so this is where a hit's version comes from. Without it, or for a plan it does not
   * know, a hit reports the external version of its plan document: the version at which the
   * plan's own fields last changed, a lower bound of the plan's version.
   */
  readonly currentVersions?: (plans: readonly PlanRef[]) => Promise<readonly (number | null)[]>;
  /** The temporal index's alias, which answers searches `asOf` a moment; without it such searches are refused. */
  readonly temporalAlias?: string;
  /** Each plan's version at a moment (the log's version-at-time), for hits of a search `asOf` it. */
  readonly versionsAt?: (plans: readonly PlanRef[], at: Date) => Promise<readonly (number | null)[]>;
}

/** Plan search on Elasticsearch: the compiled query against the alias (the temporal one for `asOf`), paged with search_after. */
export class ElasticPlanSearch implements PlanSearch {
  constructor(
    private readonly client: Client,
    private readonly alias: string,
    private readonly options: ElasticPlanSearchOptions = {},
  ) {}

  async search(request: Parameters<PlanSearch['search']>[0], scope: { org: string | null }): Promise<SearchPage> {
    const { asOf } = request;
    if (asOf !== null && this.options.temporalAlias === undefined) throw new Error('This search has no temporal index to answer asOf.');
    const compiled = compileSearchQuery(request, { ...scope, asOf });
    const index = asOf === null ? this.alias : this.options.temporalAlias!;
    // One hit more than asked tells whether another page exists.
    const response = await this.client.search<PlanSource>({ index, ...compiled, version: true, size: request.limit + 1 } as never).catch((error: unknown) => {
      // Before a projector has created the index, nothing is projected yet: no plans match.
      if (isIndexNotFound(error)) return null;
      throw error;
    });
    if (response === null) return { total: 0, hits: [], next: null };
    const more = response.hits.hits.length > request.limit;
    const hits = response.hits.hits.slice(0, request.limit);
    const total = typeof response.hits.total === 'number' ? response.hits.total : (response.hits.total?.value ?? 0);
    const last = hits.at(-1);
    const refs = hits.map((hit) => ({ org: hit._source?._org ?? '', planId: hit._source?.planId ?? '' }));
    const versionsOf = asOf === null ? this.options.currentVersions : this.options.versionsAt && ((plans: readonly PlanRef[]) => this.options.versionsAt!(plans, new Date(asOf)));
    const versions = versionsOf && refs.length > 0 ? await versionsOf(refs) : [];
    return {
      total,
      hits: hits.map((hit, i) => ({
        planId: refs[i]!.planId,
        version: versions[i] ?? hit._version ?? 0,
        org: refs[i]!.org,
        planType: hit._source?.planType ?? null,
        creationDate: hit._source?.creationDate ?? null,
        score: typeof hit._score === 'number' ? hit._score : null,
      })),
      next: more && last?.sort ? encodeSearchCursor(last.sort) : null,
    };
  }
}

function isIndexNotFound(error: unknown): boolean {
  return (error as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type === 'index_not_found_exception';
}
