import type { Router, SimResponse } from '../../common/http.js';
import { jiraError, type JiraContext } from '../context.js';
import { FIELDS, fieldSchema, findField } from '../fields.js';
import { renderProject, renderStatus, renderUser } from '../render.js';
import { STATUSES } from '../workflow.js';

/** Who am I, what is this server, and how is it configured: what a doctor command checks. */
export function addMetaRoutes(router: Router, context: JiraContext): void {
  router
    .add('GET', '/rest/api/3/myself', (req) => ({ status: 200, body: { ...renderUser(context.userOf(req), context.baseUrl()), locale: 'en_US' } }))
    .add('GET', '/rest/api/3/serverInfo', () => ({ status: 200, body: serverInfo(context.baseUrl(), context.state.now()) }))
    .add('GET', '/rest/api/3/field', () => ({ status: 200, body: FIELDS.map(fieldDetails) }))
    .add('GET', '/rest/api/3/field/:fieldId/context', (req) => fieldContexts(req.params.fieldId ?? ''))
    .add('GET', '/rest/api/3/field/:fieldId/context/:contextId/option', (req) => contextOptions(req.params.fieldId ?? '', req.params.contextId ?? ''))
    .add('GET', '/rest/api/3/project/:projectKey', (req) => project(context, req.params.projectKey ?? ''))
    .add('GET', '/rest/api/3/status', () => ({ status: 200, body: STATUSES.map((status) => renderStatus(status.name, context.baseUrl())) }))
    .add('GET', '/rest/api/3/statuses/search', () => ({ status: 200, body: statusPage() }));
}

function serverInfo(baseUrl: string, now: number): Record<string, unknown> {
  return {
    baseUrl,
    displayUrl: baseUrl,
    version: '1001.0.0-SNAPSHOT',
    versionNumbers: [1001, 0, 0],
    deploymentType: 'Cloud',
    buildNumber: 100290,
    buildDate: '2026-01-01T00:00:00.000+0000',
    serverTime: new Date(now).toISOString().replace('Z', '+0000'),
    scmInfo: 'simulated',
    serverTitle: 'Jira (simulated)',
  };
}

function fieldDetails(field: (typeof FIELDS)[number]): Record<string, unknown> {
  const clauseNames = field.custom ? [`cf[${field.customId}]`, field.name] : [field.id];
  return { id: field.id, key: field.id, name: field.name, custom: field.custom, orderable: field.editable, navigable: true, searchable: true, clauseNames, schema: fieldSchema(field) };
}

function contextId(customId: number | undefined): string {
  return String((customId ?? 0) * 10);
}

function page(values: unknown[]): Record<string, unknown> {
  return { maxResults: 50, startAt: 0, total: values.length, isLast: true, values };
}

function fieldContexts(fieldId: string): SimResponse {
  const field = findField(fieldId);
  if (!field?.custom) return jiraError(404, ['The custom field was not found.']);
  const context = { id: contextId(field.customId), name: `Default Configuration Scheme for ${field.name}`, description: '', isGlobalContext: true, isAnyIssueType: true };
  return { status: 200, body: page([context]) };
}

function contextOptions(fieldId: string, requestedContext: string): SimResponse {
  const field = findField(fieldId);
  if (!field?.custom) return jiraError(404, ['The custom field was not found.']);
  if (requestedContext !== contextId(field.customId)) return jiraError(404, ['The context was not found.']);
  if (!field.options) return jiraError(400, ["The custom field doesn't support options."]);
  return { status: 200, body: page(field.options.map((option) => ({ id: option.id, value: option.value, disabled: false }))) };
}

function project(context: JiraContext, keyOrId: string): SimResponse {
  const position = context.state.projects.findIndex((key, index) => key === keyOrId.toUpperCase() || String(10000 + index) === keyOrId);
  const key = context.state.projects[position];
  if (key === undefined) return jiraError(404, [`No project could be found with key '${keyOrId}'.`]);
  const baseUrl = context.baseUrl();
  const issueTypes = [{ self: `${baseUrl}/rest/api/3/issuetype/10002`, id: '10002', name: 'Task', description: 'A small, distinct piece of work.', subtask: false, hierarchyLevel: 0 }];
  return { status: 200, body: { ...renderProject(key, position, baseUrl), description: '', style: 'classic', isPrivate: false, issueTypes } };
}

function statusPage(): Record<string, unknown> {
  const categories = { new: 'TODO', indeterminate: 'IN_PROGRESS', done: 'DONE' } as const;
  const values = STATUSES.map((status) => ({ id: status.id, name: status.name, description: '', statusCategory: categories[status.category], scope: { type: 'GLOBAL' } }));
  return { ...page(values), maxResults: 200 };
}
