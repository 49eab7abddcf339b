import type { Client } from '@elastic/elasticsearch';
import type { PlanSearch, SearchPage } from '../../ports/PlanSearch.js';
import { compileSearchQuery } from '../../search/compileSearchQuery.js';
import { encodeSearchCursor } from '../../search/parseSearchRequest.js';

interface PlanSource {
  planId?: string;
  planVersion?: number;
  _org?: string;
  planType?: string;
  creationDate?: string;
}

/** Plan search on Elasticsearch: the compiled query against the alias, paged with search_after. */
export class ElasticPlanSearch implements PlanSearch {
  constructor(private readonly client: Client, private readonly alias: string) {}

  async search(request: Parameters<PlanSearch['search']>[0], scope: { org: string | null }): Promise<SearchPage> {
    const compiled = compileSearchQuery(request, scope);
    // One hit more than asked tells whether another page exists.
    const response = await this.client.search<PlanSource>({ index: this.alias, ...compiled, size: request.limit + 1 } as never);
    const more = response.hits.hits.length > request.limit;
    const hits = response.hits.hits.slice(0, request.limit);
    const total = typeof response.hits.total === 'number' ? response.hits.total : (response.hits.total?.value ?? 0);
    const last = hits.at(-1);
    return {
      total,
      hits: hits.map((hit) => ({
        planId: hit._source?.planId ?? '',
        version: hit._source?.planVersion ?? 0,
        org: hit._source?._org ?? '',
        planType: hit._source?.planType ?? null,
        creationDate: hit._source?.creationDate ?? null,
        score: typeof hit._score === 'number' ? hit._score : null,
      })),
      next: more && last?.sort ? encodeSearchCursor(last.sort) : null,
    };
  }
}
