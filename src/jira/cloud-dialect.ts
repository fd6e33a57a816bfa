import type { Version3Client } from 'jira.js';
import { commentToAdf } from './adf.js';
import { issuesByKeys } from './by-keys.js';
import { completeChangelog } from './changelog.js';
import type { JiraDialect } from './dialect.js';
import { searchAll } from './search.js';

/** Jira Cloud, REST v3: enhanced search with reconcileIssues, a paged changelog, ADF comment bodies. */
export function cloudDialect(client: Version3Client): JiraDialect {
  return {
    flavour: 'cloud',
    search: (call, request) => searchAll(client, call, request),
    issuesByKeys,
    completeChangelog: (call, issue, readyStatus) => completeChangelog(client, call, issue, readyStatus),
    getIssue: (key, fields, expand) =>
      client.issues.getIssue<unknown>({ issueIdOrKey: key, fields: [...fields], ...(expand ? { expand } : {}) }),
    editIssue: (key, fields) => client.issues.editIssue<unknown>({ issueIdOrKey: key, fields }),
    getTransitions: (key) => client.issues.getTransitions<unknown>({ issueIdOrKey: key, expand: 'transitions.fields' }),
    doTransition: (key, transitionId, fields, comment) =>
      client.issues.doTransition<unknown>({
        issueIdOrKey: key,
        transition: { id: transitionId },
        ...(Object.keys(fields).length > 0 ? { fields } : {}),
        ...(comment ? { update: { comment: [{ add: { body: commentToAdf(comment) } }] } } : {}),
      }),
    getComments: (key, startAt, maxResults) =>
      client.issueComments.getComments<unknown>({ issueIdOrKey: key, startAt, maxResults, orderBy: '-created' }),
    addComment: (key, comment) => client.issueComments.addComment<unknown>({ issueIdOrKey: key, comment: commentToAdf(comment) }),
  };
}
