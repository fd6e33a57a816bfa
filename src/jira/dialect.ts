import type { Config } from '../config/schema.js';
import type { GateDeps } from '../http/observed-adapter.js';
import type { UpstreamObserver } from '../observability/upstream-observer.js';
import type { ByKeysDeps } from './by-keys.js';
import { type JiraAuth, jiraClientConfig } from './client.js';
import { cloudClient, dataCenterClient } from './lean-client.js';
import { cloudDialect } from './cloud-dialect.js';
import { dataCenterDialect } from './datacenter-dialect.js';
import { type JiraFlavour, jiraFlavour } from './flavour.js';
import type { JiraCall } from './jira-call.js';
import type { Issue } from './schema.js';
import type { SearchRequest } from './search.js';
import type { CommentBody } from './ticket.js';

export type Fields = Record<string, unknown>;

/**
 * What differs between Jira Cloud (REST v3, ADF bodies, token-paged search) and Data Center (REST v2,
 * plain-text bodies, offset-paged search). The single requests answer the raw body: callers run them
 * through JiraCall and parse it, so retries, logging and parsing stay in one place for both.
 */
export interface JiraDialect {
  readonly flavour: JiraFlavour;
  /** Every issue the search matches, all pages, each with its embedded changelog. */
  search(call: JiraCall, request: SearchRequest): Promise<Issue[]>;
  /** Issues by key, read-after-write consistent; unknown keys are left out. */
  issuesByKeys(deps: ByKeysDeps, keys: readonly string[]): Promise<Issue[]>;
  /** The issue with a changelog that holds its newest move into Ready. */
  completeChangelog(call: JiraCall, issue: Issue, readyStatus: string): Promise<Issue>;
  getIssue(key: string, fields: readonly string[], expand?: 'changelog'): Promise<unknown>;
  /** An edit of fields; a comment goes with it as `update.comment`, in the same request. */
  editIssue(key: string, fields: Fields, comment?: CommentBody): Promise<unknown>;
  /** The transitions with their screens' fields (`expand=transitions.fields`). */
  getTransitions(key: string): Promise<unknown>;
  doTransition(key: string, transitionId: string, fields: Fields, comment: CommentBody | undefined): Promise<unknown>;
  /** One page of comments, newest first. */
  getComments(key: string, startAt: number, maxResults: number): Promise<unknown>;
  addComment(key: string, comment: CommentBody): Promise<unknown>;
  /** The account the credentials sign in as (GET /myself): whose changelog entries are ours. */
  getMyself(): Promise<unknown>;
}

/** The dialect the credentials call for (see `jiraFlavour`), on a client measured by the observer. */
export function createJiraDialect(
  config: Config,
  observer: UpstreamObserver,
  gated?: GateDeps,
): { dialect: JiraDialect; auth: JiraAuth } {
  const { clientConfig, auth } = jiraClientConfig(config, observer, gated);
  const dialect =
    jiraFlavour(config) === 'datacenter'
      ? dataCenterDialect(dataCenterClient(clientConfig))
      : cloudDialect(cloudClient(clientConfig));
  return { dialect, auth };
}
