import type { CloudClient } from './lean-client.js';
import { commentToAdf } from './adf.js';
import { issuesByKeys } from './by-keys.js';
import { completeChangelog } from './changelog.js';
import type { JiraDialect } from './dialect.js';
import { issueRequests } from './issue-requests.js';
import { searchAll } from './search.js';

/** Jira Cloud, REST v3: enhanced search with reconcileIssues, a paged changelog, ADF comment bodies. */
export function cloudDialect(client: CloudClient): JiraDialect {
  return {
    flavour: 'cloud',
    search: (call, request) => searchAll(client, call, request),
    issuesByKeys,
    completeChangelog: (call, issue, readyStatus) => completeChangelog(client, call, issue, readyStatus),
    ...issueRequests(client, commentToAdf),
  };
}
