import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { settingsFor } from '../config/resolve-projects.js';
import type { Config, ProjectSettings } from '../config/schema.js';
import { isUpstreamError } from '../http/errors.js';
import { RateGate } from '../http/rate-gate.js';
import { noopObserver, type UpstreamObserver } from '../observability/upstream-observer.js';
import { addCommentOnce, postComment } from './comments.js';
import { createJiraDialect } from './dialect.js';
import { toFieldWrite } from './field-write.js';
import type { JiraGateway } from './gateway.js';
import { createJiraCall } from './jira-call.js';
import { groupedJql, type SearchGroup } from './jql.js';
import { oldestFirst } from './newest-first.js';
import { Account, Issue } from './schema.js';
import { toTicket } from './to-ticket.js';
import { editIssue, type TransitionDeps, transitionTo } from './transitions.js';
import type { Ticket } from './ticket.js';
import type { LeaseGuard } from '../lease/write-guard.js';

export interface JiraGatewayDeps {
  config: Config;
  clock: Clock;
  log: Logger;
  observer?: UpstreamObserver;
  /** The process is stopping: waits and backoffs are dropped, no new request goes out. */
  stop?: AbortSignal;
  /** Checked before every upstream request (the leader lease's guard); a throw fails it unsent. */
  leaseGuard?: LeaseGuard;
}

/** The Jira adapter behind the JiraGateway port: Cloud (REST v3) or Data Center (REST v2), by the credentials. */
export function createJiraGateway(deps: JiraGatewayDeps): JiraGateway {
  const { config, clock } = deps;
  const log = deps.log.child({ upstream: 'jira' });
  const observer = deps.observer ?? noopObserver;
  const gate = new RateGate({
    clock,
    concurrency: config.http.concurrency,
    onThrottled: (seconds, scope) => observer.throttled?.('jira', seconds, scope),
    ...(deps.stop ? { signal: deps.stop, upstream: 'jira' as const } : {}),
  });
  const { dialect, auth } = createJiraDialect(config, observer, { gate, clock, ...(deps.leaseGuard ? { leaseGuard: deps.leaseGuard } : {}) });
  if (auth === 'none') log.warn('No Jira credentials: set JIRA_USERNAME and JIRA_API_TOKEN (Cloud) or JIRA_PAT (Data Center)');
  const call = createJiraCall({ clock, log, retries: config.http.retries, gated: true, ...(deps.stop ? { signal: deps.stop } : {}) });
  const { pageSize } = config.jira;
  // Each project may name its own fields and statuses; a ticket is read and written with its project's.
  const settings = (key: string): ProjectSettings => settingsFor(config, key);
  const projectFields = config.jira.projects.flatMap((project) => Object.values(settingsFor(config, `${project}-0`).fields));
  const readFields = [...new Set([...Object.values(config.jira.fields), ...projectFields, 'status', 'updated', 'created', 'labels', 'summary'])];
  // Who we are, asked once and only when a move's answer was lost: our changelog entries are the ones by us.
  let self: Promise<Account> | null = null;
  const whoAmI = (): Promise<Account> => {
    if (!self) {
      const asked = call.read('GET /myself', {}, Account, () => dialect.getMyself());
      // A failed look is not kept: the next lost answer asks again.
      asked.catch(() => (self = null));
      self = asked;
    }
    return self;
  };
  const writeDeps = (key: string): TransitionDeps => ({ dialect, call, fieldIds: settings(key).fields, readyStatus: settings(key).statuses.ready, self: whoAmI });
  // Numeric ids by key, learnt from every read: getTickets asks Jira to reconcile those (read-after-write).
  const idsByKey = new Map<string, number>();

  async function toTickets(issues: readonly Issue[]): Promise<Ticket[]> {
    const tickets: Ticket[] = [];
    for (const issue of issues) {
      idsByKey.set(issue.key, Number(issue.id));
      const { fields, statuses } = settings(issue.key);
      const complete = await dialect.completeChangelog(call, issue, statuses.ready);
      tickets.push(toTicket(complete, fields, statuses.ready));
    }
    return tickets;
  }

  async function readIssue(key: string): Promise<Issue | null> {
    try {
      return await call.read('GET /issue/{key}', { key }, Issue, () =>
        dialect.getIssue(key, readFields, 'changelog'),
      );
    } catch (error) {
      if (isUpstreamError(error, 'not_found')) return null;
      throw error;
    }
  }

  function searchKeys(jql: string, keys: readonly string[]): Promise<Issue[]> {
    const reconcileIssues = keys.flatMap((key) => {
      const id = idsByKey.get(key);
      return id === undefined || Number.isNaN(id) ? [] : [id];
    });
    return dialect.search(call, { jql, fields: readFields, pageSize, reconcileIssues });
  }

  return {
    async searchReady({ updatedSince, alsoStatuses }) {
      const jql = groupedJql(searchGroups(config, alsoStatuses ?? []), updatedSince, clock.now());
      const pages = await dialect.search(call, { jql, fields: readFields, pageSize, ...(updatedSince ? { stopBefore: updatedSince } : {}) });
      return toTickets(oldestFirst(pages, updatedSince));
    },

    async getTickets(keys) {
      if (keys.length === 0) return [];
      return toTickets(await dialect.issuesByKeys({ search: searchKeys, read: readIssue }, keys));
    },

    async getTicket(key) {
      const issue = await readIssue(key);
      if (!issue) return null;
      const [ticket] = await toTickets([issue]);
      return ticket ?? null;
    },

    async updateFields(key, write, options) {
      await editIssue(writeDeps(key), key, toFieldWrite(write, settings(key).fields), options?.comment, options?.knownAbsent ?? false);
    },

    addComment(key, comment, options) {
      return options?.knownAbsent ? postComment(dialect, call, key, comment) : addCommentOnce(dialect, call, key, comment);
    },

    transitionTo(key, statusName, options) {
      return transitionTo(writeDeps(key), key, statusName, options);
    },
  };
}

/** The configured projects grouped by the status names the search asks for (Ready, and the roles given). */
function searchGroups(config: Config, roles: ReadonlyArray<'cancelled' | 'running'>): SearchGroup[] {
  const groups = new Map<string, SearchGroup & { projects: string[] }>();
  for (const project of config.jira.projects) {
    const { statuses } = settingsFor(config, `${project}-0`);
    const names = [statuses.ready, ...roles.flatMap((role) => (statuses[role] ? [statuses[role]] : []))];
    const id = JSON.stringify(names);
    const group = groups.get(id) ?? { projects: [], statuses: names };
    group.projects.push(project);
    groups.set(id, group);
  }
  return [...groups.values()];
}
