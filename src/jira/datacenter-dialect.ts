import type { DataCenterClient } from './lean-client.js';
import { UpstreamError } from '../http/errors.js';
import { readOneByOne } from './by-keys.js';
import type { JiraDialect } from './dialect.js';
import type { JiraCall } from './jira-call.js';
import { issueRequests } from './issue-requests.js';
import { searchAllByOffset } from './offset-search.js';
import { Issue } from './schema.js';
import { isChangelogTruncated } from './to-ticket.js';
import { commentToWiki } from './wiki.js';

/**
 * Jira Data Center, REST v2: offset-paged search, the whole changelog embedded in an issue read, and
 * comment bodies as plain text (wiki markup).
 */
export function dataCenterDialect(client: DataCenterClient): JiraDialect {
  const requests = issueRequests(client, commentToWiki);
  const { getIssue } = requests;

  /** A search may hold back part of the changelog; an issue read embeds all of it (there is no paged changelog on older servers). */
  async function completeChangelog(call: JiraCall, issue: Issue): Promise<Issue> {
    if (issue.changelog !== undefined && !isChangelogTruncated(issue.changelog)) return issue;
    const read = await call.read('GET /issue/{key}', { key: issue.key, fields: ['status'] }, Issue, () =>
      getIssue(issue.key, ['status'], 'changelog'),
    );
    if (read.changelog === undefined || isChangelogTruncated(read.changelog)) {
      // Without every history the request id cannot be known, and guessing one could start a second run.
      throw new UpstreamError('jira', 'bad_response', `Jira answered GET /issue/${issue.key} without its whole changelog (expand=changelog): the reconciler cannot tell which request the ticket stands for`);
    }
    return { ...issue, changelog: read.changelog };
  }

  return {
    flavour: 'datacenter',
    search: (call, request) => searchAllByOffset(client, call, request),
    // Search reads Jira's index, which lags writes on other cluster nodes; an issue read does not.
    issuesByKeys: (deps, keys) => readOneByOne(deps, [...new Set(keys)]),
    completeChangelog: (call, issue) => completeChangelog(call, issue),
    ...requests,
  };
}
