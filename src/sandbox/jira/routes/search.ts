import type { Router, SimResponse } from '../../common/http.js';
import { intParam, isRecord, jiraError, listParam, type JiraContext } from '../context.js';
import { JqlError, runJql } from '../jql/search.js';
import type { SimIssue } from '../model.js';
import { expandSet, renderIssue, selectFields } from '../render.js';

export interface SearchInput {
  jql: string;
  nextPageToken?: string;
  maxResults?: unknown;
  fields: string[];
  expand?: string;
  properties: string[];
  reconcileIssues: unknown[];
}

const REQUEST_KEYS = new Set(['jql', 'nextPageToken', 'maxResults', 'fields', 'expand', 'properties', 'fieldsByKeys', 'reconcileIssues', 'failFast']);
const REMOVED = 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

/** /search/jql (token paging, no total, eventually consistent) and the removed /search. */
export function addCloudSearchRoutes(router: Router, context: JiraContext): void {
  router
    .add('GET', '/rest/api/3/search/jql', (req) =>
      search(context, {
        jql: req.query.get('jql') ?? '',
        ...optional('nextPageToken', req.query.get('nextPageToken')),
        maxResults: req.query.get('maxResults'),
        fields: listParam(req.query, 'fields'),
        ...optional('expand', req.query.get('expand')),
        properties: listParam(req.query, 'properties'),
        reconcileIssues: listParam(req.query, 'reconcileIssues'),
      }),
    )
    .add('POST', '/rest/api/3/search/jql', (req) => {
      if (!isRecord(req.body)) return jiraError(400, ['The request body must be a JSON object.']);
      const unknown = Object.keys(req.body).filter((key) => !REQUEST_KEYS.has(key));
      if (unknown.length > 0) return jiraError(400, [`Unrecognized field "${unknown.join('", "')}" in the search request.`]);
      const body = req.body;
      if (!isStringArray(body.fields ?? []) || !isStringArray(body.properties ?? []) || !Array.isArray(body.reconcileIssues ?? [])) {
        return jiraError(400, ["'fields' and 'properties' must be arrays of strings, 'reconcileIssues' an array of issue ids."]);
      }
      return search(context, {
        jql: typeof body.jql === 'string' ? body.jql : '',
        ...optional('nextPageToken', typeof body.nextPageToken === 'string' ? body.nextPageToken : null),
        maxResults: body.maxResults,
        fields: (body.fields as string[] | undefined) ?? [],
        ...optional('expand', typeof body.expand === 'string' ? body.expand : null),
        properties: (body.properties as string[] | undefined) ?? [],
        reconcileIssues: (body.reconcileIssues as unknown[] | undefined) ?? [],
      });
    })
    .add('GET', '/rest/api/3/search', () => jiraError(410, [REMOVED]))
    .add('POST', '/rest/api/3/search', () => jiraError(410, [REMOVED]));
}

function search(context: JiraContext, input: SearchInput): SimResponse {
  const reconcile = input.reconcileIssues.map((id) => String(id));
  if (reconcile.length > 50) return jiraError(400, ['reconcileIssues accepts at most 50 issue ids.']);
  if (reconcile.some((id) => !/^\d+$/.test(id))) return jiraError(400, ['reconcileIssues must hold numeric issue ids.']);
  const offset = input.nextPageToken === undefined ? 0 : decodeToken(input.nextPageToken, input.jql);
  if (offset === null) return jiraError(400, ['The provided next page token is invalid or expired.']);
  const requested = intParam(input.maxResults, 50);
  if (requested === null) return jiraError(400, ["'maxResults' must be a non-negative integer."]);
  const fields = selectFields(context.state.catalog, input.fields, 'id');
  const expand = expandSet(input.expand);
  // Jira serves the largest pages only when ids or keys alone are asked for.
  const maxResults = Math.min(requested, fields === null || fields.length === 0 ? 5000 : 100);

  const matched = matchJql(context, input.jql, reconcile);
  if ('response' in matched) return matched.response;
  const page = matched.issues.slice(offset, offset + maxResults);
  const issues = page.map((issue) =>
    renderIssue(issue, { fields, expand, properties: input.properties, projects: context.state.projects, api: context.api(), catalog: context.state.catalog }),
  );
  const isLast = offset + page.length >= matched.issues.length;
  const body: Record<string, unknown> = { issues, isLast };
  if (!isLast) body.nextPageToken = encodeToken(offset + page.length, input.jql);
  return { status: 200, body };
}

/** The issues the JQL matches in search's view, in its order; a JQL error is Jira's 400. */
export function matchJql(context: JiraContext, jql: string, reconcile: readonly string[]): { issues: SimIssue[] } | { response: SimResponse } {
  try {
    const view = context.state.searchView(new Set(reconcile));
    const issues = runJql(jql, view, {
      projects: context.state.projects,
      now: context.state.now(),
      issueExists: (keyOrId) => context.state.get(keyOrId) !== undefined,
      catalog: context.state.catalog,
    });
    return { issues };
  } catch (error) {
    if (error instanceof JqlError) return { response: jiraError(400, error.messages) };
    throw error;
  }
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Opaque to clients; bound to the query so a token cannot be replayed against another JQL. */
function encodeToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: jql })).toString('base64url');
}

function decodeToken(token: string, jql: string): number | null {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    return typeof decoded.o === 'number' && decoded.q === jql ? decoded.o : null;
  } catch {
    return null;
  }
}
