import type { LoggedExchange } from '../../src/sandbox/common/request-log.js';
import type { JiraDeployment } from '../../src/sandbox/jira/deployment.js';
import type { JiraSim } from '../../src/sandbox/jira/server.js';
import { writes } from './requests.js';
import { linksIn } from './tickets.js';

/** The paths of every request the reconciler made to the Jira simulator. */
export function jiraPaths(jira: JiraSim): string[] {
  return [...new Set(jira.log.entries.map((entry) => entry.path))];
}

/** The comment bodies the reconciler sent, as sent: with an edit or a transition (`update.comment`) or posted alone. */
export function commentBodies(entries: readonly LoggedExchange[]): unknown[] {
  return entries.flatMap((entry) => {
    const body = entry.requestBody as { body?: unknown; update?: { comment?: Array<{ add?: { body?: unknown } }> } } | undefined;
    if (entry.method === 'POST' && entry.path.endsWith('/comment')) return [body?.body];
    return (body?.update?.comment ?? []).map((operation) => operation.add?.body);
  });
}

/**
 * The links a person can click in the ticket's first comment: link marks in ADF (Cloud), `[text|url]`
 * in wiki markup (Data Center, as the API shows the stored text).
 */
export function commentLinks(jira: JiraSim, key: string, deployment: JiraDeployment): string[] {
  const [first] = jira.comments(key);
  if (!first) return [];
  if (deployment === 'cloud') return linksIn(first.body);
  return [...first.text.matchAll(/\[[^\]|]*\|([^\]]+)\]/g)].map((match) => match[1] ?? '');
}

/** Jira writes among logged exchanges; Data Center's `POST /rest/api/2/search` only reads. */
export function jiraWrites(entries: readonly LoggedExchange[]): string[] {
  return writes(entries).filter((line) => line !== 'POST /rest/api/2/search');
}
