import type { LoggedExchange } from '../../src/sandbox/common/request-log.js';

/** Requests that only read, though some are POSTs: Jira's enhanced search, Airflow's batch list and token exchange. */
const READ_POSTS = [/^\/rest\/api\/3\/search\/jql$/, /^\/rest\/api\/2\/search$/, /^\/api\/v[12]\/dags\/~\/dagRuns\/list$/, /^\/auth\/token$/];

export function isWrite(entry: Pick<LoggedExchange, 'method' | 'path'>): boolean {
  if (entry.method === 'GET' || entry.method === 'HEAD') return false;
  return !(entry.method === 'POST' && READ_POSTS.some((pattern) => pattern.test(entry.path)));
}

/** The writes among logged exchanges, as 'METHOD path' lines for readable failures. */
export function writes(entries: readonly LoggedExchange[]): string[] {
  return entries.filter(isWrite).map((entry) => `${entry.method} ${entry.path}`);
}

export function triggers(entries: readonly LoggedExchange[]): LoggedExchange[] {
  return entries.filter((entry) => entry.method === 'POST' && /^\/api\/v[12]\/dags\/[^/~]+\/dagRuns$/.test(entry.path));
}
