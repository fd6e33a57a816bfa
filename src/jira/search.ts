import type { CloudClient } from './lean-client.js';
import type { JiraCall } from './jira-call.js';
import { reachedBefore } from './newest-first.js';
import { type Issue, SearchResults } from './schema.js';

export interface SearchRequest {
  jql: string;
  fields: readonly string[];
  pageSize: number;
  /** Issue ids to read after their writes (up to 50; Cloud only); search is otherwise eventually consistent. */
  reconcileIssues?: readonly number[];
  /**
   * A change feed ordered `updated DESC` that wants changes from this instant on: no page is asked for
   * after one that reached an older change (see `reachedBefore`).
   */
  stopBefore?: Date;
}

/**
 * All pages of an enhanced search (`/rest/api/3/search/jql`), following `nextPageToken` until `isLast`
 * (or, for a change feed, until a page reaches `stopBefore`).
 */
export async function searchAll(client: CloudClient, call: JiraCall, request: SearchRequest): Promise<Issue[]> {
  const issues: Issue[] = [];
  const seenTokens = new Set<string>();
  let nextPageToken: string | undefined;
  for (let page = 1; ; page++) {
    const body = {
      jql: request.jql,
      fields: [...request.fields],
      expand: 'changelog',
      maxResults: request.pageSize,
      ...(nextPageToken === undefined ? {} : { nextPageToken }),
      ...(request.reconcileIssues?.length ? { reconcileIssues: [...request.reconcileIssues] } : {}),
    };
    const result = await call.read('POST /search/jql', { jql: request.jql, page }, SearchResults, () =>
      client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost<unknown>(body),
    );
    issues.push(...result.issues);
    if (reachedBefore(result.issues, request.stopBefore)) return issues;
    const token = result.nextPageToken ?? undefined;
    // A token seen before would page forever; Jira never sends one, a broken proxy might.
    if (result.isLast === true || token === undefined || seenTokens.has(token)) return issues;
    seenTokens.add(token);
    nextPageToken = token;
  }
}
