/** What the fault plumbing knows of a request before it is served. */
export interface RequestInfo {
  method: string;
  /** The path without the query. */
  path: string;
  /** The router pattern that serves it; null when none matches. */
  route: string | null;
  /** The ticket the request is about (a Jira issue key), when the simulator can tell. */
  issueKey: string | null;
}

export interface RequestMatch {
  method?: string;
  /** A string matches as a prefix of the path (no query). */
  path?: string | RegExp;
  /** The router pattern, exactly (e.g. '/api/v1/dags/:dag_id/dagRuns'). */
  route?: string;
}

export function requestMatches(match: RequestMatch, request: RequestInfo): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (match.route !== undefined && match.route !== request.route) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? request.path.startsWith(match.path) : match.path.test(request.path);
}

/** A request that changes something: every method but GET, HEAD and OPTIONS. */
export function isWrite(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}
