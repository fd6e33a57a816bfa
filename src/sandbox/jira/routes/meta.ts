import type { Router, SimResponse } from '../../common/http.js';
import { jiraError, type JiraContext } from '../context.js';
import type { JiraCatalog } from '../catalog.js';
import { fieldSchema, type FieldDefinition } from '../fields.js';
import type { RestApi } from '../deployment.js';
import { ISSUE_TYPE, renderProject, renderStatus, renderUser } from '../render.js';
import { asAdmin } from './as-admin.js';
import { addCreateMetaRoutes } from './create-meta.js';

/** Who am I, what is this server, and how is it configured: what a doctor command checks. */
export function addMetaRoutes(router: Router, context: JiraContext): void {
  const prefix = context.prefix;
  router
    .add('GET', `${prefix}/myself`, (req) => ({ status: 200, body: { ...renderUser(context.userOf(req), context.api()), locale: 'en_US' } }))
    .add('GET', `${prefix}/serverInfo`, () => ({ status: 200, body: serverInfo(context.api(), context.state.now()) }))
    .add('GET', `${prefix}/field`, () => ({ status: 200, body: context.state.catalog.fields.map(fieldDetails) }))
    .add('GET', `${prefix}/project/:projectKey`, (req) => project(context, req.params.projectKey ?? ''))
    .add('GET', `${prefix}/status`, () => ({ status: 200, body: context.state.catalog.statuses.map((status) => renderStatus(status, context.api())) }))
    .add('GET', `${prefix}/project/:projectKey/statuses`, (req) => projectStatuses(context, req.params.projectKey ?? ''));
  if (context.deployment === 'cloud') {
    router
      // Reading a field's contexts and options needs Administer Jira (the v3 reference, Issue custom field contexts).
      .add('GET', `${prefix}/field/:fieldId/context`, (req) => asAdmin(context, req, () => fieldContexts(context.state.catalog, req.params.fieldId ?? '')))
      .add('GET', `${prefix}/field/:fieldId/context/:contextId/option`, (req) => asAdmin(context, req, () => contextOptions(context.state.catalog, req.params.fieldId ?? '', req.params.contextId ?? '')))
      .add('GET', `${prefix}/statuses/search`, () => ({ status: 200, body: statusPage(context.state.catalog) }));
  } else {
    addCreateMetaRoutes(router, context);
  }
}

/** Cloud says "Cloud"; a Data Center cluster "DataCenter" (a single Server licence would say "Server"). */
function serverInfo(api: RestApi, now: number): Record<string, unknown> {
  const cloud = api.deployment === 'cloud';
  return {
    baseUrl: api.root,
    ...(cloud ? { displayUrl: api.root } : {}),
    version: cloud ? '1001.0.0-SNAPSHOT' : '9.12.15',
    versionNumbers: cloud ? [1001, 0, 0] : [9, 12, 15],
    deploymentType: cloud ? 'Cloud' : 'DataCenter',
    buildNumber: cloud ? 100290 : 9120015,
    buildDate: '2026-01-01T00:00:00.000+0000',
    serverTime: new Date(now).toISOString().replace('Z', '+0000'),
    scmInfo: 'simulated',
    serverTitle: 'Jira (simulated)',
  };
}

export function fieldDetails(field: FieldDefinition): Record<string, unknown> {
  const clauseNames = field.custom ? [`cf[${field.customId}]`, field.name] : [field.id];
  return { id: field.id, key: field.id, name: field.name, custom: field.custom, orderable: field.editable, navigable: true, searchable: true, clauseNames, schema: fieldSchema(field) };
}

export function contextId(customId: number | undefined): string {
  return String((customId ?? 0) * 10);
}

function page(values: unknown[]): Record<string, unknown> {
  return { maxResults: 50, startAt: 0, total: values.length, isLast: true, values };
}

function fieldContexts(catalog: JiraCatalog, fieldId: string): SimResponse {
  const field = catalog.field(fieldId);
  if (!field?.custom) return jiraError(404, ['The custom field was not found.']);
  const context = { id: contextId(field.customId), name: `Default Configuration Scheme for ${field.name}`, description: '', isGlobalContext: true, isAnyIssueType: true };
  return { status: 200, body: page([context]) };
}

function contextOptions(catalog: JiraCatalog, fieldId: string, requestedContext: string): SimResponse {
  const field = catalog.field(fieldId);
  if (!field?.custom) return jiraError(404, ['The custom field was not found.']);
  if (requestedContext !== contextId(field.customId)) return jiraError(404, ['The context was not found.']);
  if (!field.options) return jiraError(400, ["The custom field doesn't support options."]);
  return { status: 200, body: page(field.options.map((option) => ({ id: option.id, value: option.value, disabled: false }))) };
}

/** The project's position among the simulator's projects (key or id), or -1. */
function projectPosition(context: JiraContext, keyOrId: string): number {
  return context.state.projects.findIndex((key, index) => key === keyOrId.toUpperCase() || String(10000 + index) === keyOrId);
}

function project(context: JiraContext, keyOrId: string): SimResponse {
  const position = projectPosition(context, keyOrId);
  const key = context.state.projects[position];
  if (key === undefined) return jiraError(404, [`No project could be found with key '${keyOrId}'.`]);
  const api = context.api();
  const issueTypes = [{ self: `${api.url}/issuetype/${ISSUE_TYPE.id}`, ...ISSUE_TYPE }];
  return { status: 200, body: { ...renderProject(key, position, api), description: '', style: 'classic', isPrivate: false, issueTypes } };
}

function statusPage(catalog: JiraCatalog): Record<string, unknown> {
  const categories = { new: 'TODO', indeterminate: 'IN_PROGRESS', done: 'DONE' } as const;
  const values = catalog.statuses.map((status) => ({ id: status.id, name: status.name, description: '', statusCategory: categories[status.category], scope: { type: 'GLOBAL' } }));
  return { ...page(values), maxResults: 200 };
}

/** The statuses of the project's workflow, per issue type (one workflow and one issue type here). */
function projectStatuses(context: JiraContext, keyOrId: string): SimResponse {
  if (projectPosition(context, keyOrId) < 0) return jiraError(404, [`No project could be found with key '${keyOrId}'.`]);
  const api = context.api();
  const statuses = context.state.catalog.workflowStatuses().map((status) => renderStatus(status, api));
  return { status: 200, body: [{ self: `${api.url}/issueType/${ISSUE_TYPE.id}`, id: ISSUE_TYPE.id, name: ISSUE_TYPE.name, subtask: false, statuses }] };
}
