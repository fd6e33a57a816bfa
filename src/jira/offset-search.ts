import type { DataCenterClient } from './lean-client.js';
import type { JiraCall } from './jira-call.js';
import { reachedBefore } from './newest-first.js';
import { type Issue, OffsetSearchResults } from './schema.js';
import type { SearchRequest } from './search.js';

/**
 * All pages of a Data Center search (`POST /rest/api/2/search`), by `startAt` until `total` (or, for a
 * change feed, until a page reaches `stopBefore`). The next
 * page starts after the issues received, since the server may cap `maxResults` below what was asked.
 * Data Center has no `reconcileIssues`: it is ignored.
 */
export async function searchAllByOffset(client: DataCenterClient, call: JiraCall, request: SearchRequest): Promise<Issue[]> {
  const issues: Issue[] = [];
  for (let page = 1; ; page++) {
    const body = {
      jql: request.jql,
      fields: [...request.fields],
      // Data Center reads `expand` of this body as a list.
      expand: ['changelog'],
      startAt: issues.length,
      maxResults: request.pageSize,
    };
    const result = await call.read('POST /search', { jql: request.jql, page }, OffsetSearchResults, () =>
      client.issueSearch.searchForIssuesUsingJqlPost<unknown>(body),
    );
    issues.push(...result.issues);
    if (result.issues.length === 0 || issues.length >= result.total || reachedBefore(result.issues, request.stopBefore)) return issues;
  }
}
