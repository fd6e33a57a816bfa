import type { Router, SimResponse } from '../../common/http.js';
import { intParam, isRecord, jiraError, listParam, type JiraContext } from '../context.js';
import { renderIssue, selectFields } from '../render.js';
import { matchJql } from './search.js';

interface OffsetSearchInput {
  jql: string;
  startAt: unknown;
  maxResults: unknown;
  fields: string[];
  expand: string[];
  properties: string[];
}

const REQUEST_KEYS = new Set(['jql', 'startAt', 'maxResults', 'fields', 'expand', 'properties', 'fieldsByKeys', 'validateQuery']);
/** Data Center's default `jira.search.views.default.max`: pages are capped at this many issues. */
export const DATACENTER_MAX_RESULTS = 1000;

/**
 * Data Center's `/rest/api/2/search`: offset paging with `startAt`, `maxResults` and `total`,
 * `expand` as a list (POST) or comma-separated (GET), all navigable fields by default. It has no
 * `reconcileIssues` and no `/search/jql`.
 */
export function addOffsetSearchRoutes(router: Router, context: JiraContext): void {
  const path = `${context.prefix}/search`;
  router
    .add('GET', path, (req) =>
      search(context, {
        jql: req.query.get('jql') ?? '',
        startAt: req.query.get('startAt'),
        maxResults: req.query.get('maxResults'),
        fields: listParam(req.query, 'fields'),
        expand: listParam(req.query, 'expand'),
        properties: listParam(req.query, 'properties'),
      }),
    )
    .add('POST', path, (req) => {
      if (!isRecord(req.body)) return jiraError(400, ['The request body must be a JSON object.']);
      const unknown = Object.keys(req.body).filter((key) => !REQUEST_KEYS.has(key));
      if (unknown.length > 0) return jiraError(400, [`Unrecognized field "${unknown.join('", "')}" in the search request.`]);
      const body = req.body;
      const expand = typeof body.expand === 'string' ? body.expand.split(',') : (body.expand ?? []);
      if (!isStringArray(body.fields ?? []) || !isStringArray(body.properties ?? []) || !isStringArray(expand)) {
        return jiraError(400, ["'fields', 'expand' and 'properties' must be arrays of strings."]);
      }
      return search(context, {
        jql: typeof body.jql === 'string' ? body.jql : '',
        startAt: body.startAt,
        maxResults: body.maxResults,
        fields: (body.fields as string[] | undefined) ?? [],
        expand: (expand as string[]).map((item) => item.trim()).filter((item) => item !== ''),
        properties: (body.properties as string[] | undefined) ?? [],
      });
    });
}

function search(context: JiraContext, input: OffsetSearchInput): SimResponse {
  const startAt = intParam(input.startAt, 0);
  const requested = intParam(input.maxResults, 50);
  if (startAt === null || requested === null) return jiraError(400, ["'startAt' and 'maxResults' must be non-negative integers."]);
  const maxResults = Math.min(requested, DATACENTER_MAX_RESULTS);
  const matched = matchJql(context, input.jql, []);
  if ('response' in matched) return matched.response;
  const fields = selectFields(context.state.catalog, input.fields, 'all') ?? [];
  const options = { fields, expand: new Set(input.expand), properties: input.properties, projects: context.state.projects, api: context.api(), catalog: context.state.catalog };
  const issues = matched.issues.slice(startAt, startAt + maxResults).map((issue) => renderIssue(issue, options));
  return { status: 200, body: { expand: 'schema,names', startAt, maxResults, total: matched.issues.length, issues } };
}

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
