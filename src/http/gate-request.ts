/** What the gate needs to know of a request before letting it go. */
export interface GateRequest {
  /** `METHOD /path/{key}` with path parameters replaced by placeholders: the scope of Jira's burst limit. */
  endpoint?: string | undefined;
  /** The Jira issue key (or id) in the path, if any. */
  issue?: string | undefined;
  write: boolean;
}

const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]*-\d+$/;

/** The gate's view of a request, from its method and URL (absolute or a path; the query is ignored). */
export function gateRequest(method: string, url: string): GateRequest {
  const upper = method.toUpperCase();
  const path = pathOf(url);
  const issue = /\/issue\/([^/?]+)/.exec(path)?.[1];
  const issueRef = issue !== undefined && (ISSUE_KEY.test(issue) || /^\d+$/.test(issue)) ? decodeURIComponent(issue) : undefined;
  return { endpoint: `${upper} ${endpointTemplate(path)}`, issue: issueRef, write: upper !== 'GET' && upper !== 'HEAD' };
}

/** Segments whose next segment names one thing of a collection (an issue key, a field id...). */
const COLLECTIONS = new Set(['issue', 'project', 'field', 'context', 'option', 'properties', 'comment', 'createmeta', 'issuetypes', 'worklog']);
/** What may follow `issue/` without being an issue. */
const ISSUE_ACTIONS = new Set(['createmeta', 'bulk', 'picker']);

/**
 * A path with its parameters replaced (`/rest/api/3/issue/SCR-7/transitions` → `/rest/api/3/issue/{key}/transitions`),
 * so that every `PUT /issue/{key}` shares one burst scope, as Jira counts them.
 */
export function endpointTemplate(path: string): string {
  const segments = path.split('/');
  return segments
    .map((segment, index) => {
      const before = segments[index - 1] ?? '';
      if (segment === '') return segment;
      if (before === 'issue' && ISSUE_ACTIONS.has(segment)) return segment;
      if (before === 'issue' || before === 'project' || before === 'createmeta' || ISSUE_KEY.test(segment)) return '{key}';
      if (COLLECTIONS.has(before) || (/^\d+$/.test(segment) && before !== 'api')) return '{id}';
      return segment;
    })
    .join('/');
}

function pathOf(url: string): string {
  const withoutQuery = url.split(/[?#]/)[0] ?? '';
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(withoutQuery);
  const path = scheme ? withoutQuery.slice(scheme[0].length) : withoutQuery;
  return path.replace(/\/{2,}/g, '/') || '/';
}
