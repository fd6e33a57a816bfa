import { isAdfDoc } from './adf.js';
import { showText, type RestApi } from './deployment.js';
import type { JiraCatalog } from './catalog.js';
import type { FieldDefinition } from './fields.js';
import { jiraTime, type History, type SimIssue, type SimUser, type StoredComment } from './model.js';
import { projectId } from './jql/values.js';
import { STATUS_CATEGORIES, type StatusDefinition } from './workflow.js';

export function renderUser(user: SimUser, api: RestApi): Record<string, unknown> {
  const avatar = 'https://avatar-management.example.com/default.png';
  const avatarUrls = { '48x48': avatar, '24x24': avatar, '16x16': avatar, '32x32': avatar };
  if (api.deployment === 'datacenter') {
    // Data Center names users by username and key; it has no account ids.
    const name = userName(user);
    return { self: `${api.url}/user?username=${name}`, key: name, name, emailAddress: user.emailAddress, avatarUrls, displayName: user.displayName, active: true, timeZone: 'UTC' };
  }
  return {
    self: `${api.url}/user?accountId=${user.accountId}`,
    accountId: user.accountId,
    emailAddress: user.emailAddress,
    avatarUrls,
    displayName: user.displayName,
    active: true,
    timeZone: 'UTC',
    accountType: 'atlassian',
  };
}

/** A Data Center username: the local part of the e-mail. */
export function userName(user: SimUser): string {
  return user.emailAddress.split('@')[0] ?? user.emailAddress;
}

export function renderStatus(status: StatusDefinition, api: RestApi): Record<string, unknown> {
  const category = STATUS_CATEGORIES[status.category];
  return {
    self: `${api.url}/status/${status.id}`,
    description: '',
    iconUrl: `${api.root}/images/icons/statuses/generic.png`,
    name: status.name,
    untranslatedName: status.name,
    id: status.id,
    statusCategory: { self: `${api.url}/statuscategory/${category.id}`, id: category.id, key: status.category, colorName: category.colorName, name: category.name },
  };
}

export function renderProject(key: string, position: number, api: RestApi): Record<string, unknown> {
  return { self: `${api.url}/project/${projectId(position)}`, id: projectId(position), key, name: `${key} scrape requests`, projectTypeKey: 'software', simplified: false };
}

export const ISSUE_TYPE = { id: '10002', name: 'Task', description: 'A small, distinct piece of work.', subtask: false, hierarchyLevel: 0 };

export function renderComment(comment: StoredComment, issue: SimIssue, api: RestApi): Record<string, unknown> {
  const author = renderUser(comment.author, api);
  return {
    self: `${api.url}/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author,
    body: showText(api, comment.body),
    updateAuthor: author,
    created: jiraTime(comment.created),
    updated: jiraTime(comment.updated),
    // Only Cloud says whether a service desk customer sees the comment.
    ...(api.deployment === 'cloud' ? { jsdPublic: true } : {}),
  };
}

export function renderHistory(history: History, api: RestApi): Record<string, unknown> {
  return { id: history.id, author: renderUser(history.author, api), created: jiraTime(history.created), items: history.items };
}

export function renderFieldValue(field: FieldDefinition, issue: SimIssue, options: RenderOptions): unknown {
  const { projects, api } = options;
  switch (field.id) {
    case 'status': {
      const status = options.catalog.status(issue.status);
      if (!status) throw new Error(`Unknown status ${issue.status}`);
      return renderStatus(status, api);
    }
    case 'project':
      return renderProject(issue.project, projects.indexOf(issue.project), api);
    case 'issuetype':
      return { self: `${api.url}/issuetype/${ISSUE_TYPE.id}`, ...ISSUE_TYPE };
    case 'created':
      return jiraTime(issue.created);
    case 'updated':
      return jiraTime(issue.updated);
    case 'comment': {
      const comments = issue.comments.map((comment) => renderComment(comment, issue, api));
      return { comments, self: `${api.url}/issue/${issue.id}/comment`, maxResults: comments.length, total: comments.length, startAt: 0 };
    }
    default: {
      const value = issue.fields[field.id] ?? null;
      return isAdfDoc(value) ? showText(api, value) : value;
    }
  }
}

/** Which fields a `fields` parameter asks for; null means ids only (the /search/jql default). */
export function selectFields(catalog: JiraCatalog, requested: string[], fallback: 'all' | 'id'): string[] | null {
  const tokens = requested.length > 0 ? requested : [fallback === 'all' ? '*all' : 'id'];
  const selected = new Set<string>();
  const excluded = new Set<string>();
  let onlyIds = true;
  for (const token of tokens) {
    if (token === '*all' || token === '*navigable') catalog.fields.forEach((field) => selected.add(field.id));
    else if (token.startsWith('-')) excluded.add(token.slice(1));
    else if (catalog.field(token)) selected.add(token);
    if (token !== 'id' && token !== 'key') onlyIds = false;
  }
  // Only exclusions means "navigable fields except those".
  if (selected.size === 0 && excluded.size > 0) catalog.fields.forEach((field) => selected.add(field.id));
  if (onlyIds && !tokens.includes('key')) return null;
  return [...selected].filter((id) => !excluded.has(id));
}

export interface RenderOptions {
  fields: string[] | null;
  expand: ReadonlySet<string>;
  properties: readonly string[];
  projects: readonly string[];
  api: RestApi;
  catalog: JiraCatalog;
}

/** An IssueBean with only the requested fields, properties and expansions. */
export function renderIssue(issue: SimIssue, options: RenderOptions): Record<string, unknown> {
  if (options.fields === null && options.expand.size === 0 && options.properties.length === 0) return { id: issue.id };
  const { api } = options;
  const bean: Record<string, unknown> = { expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations', id: issue.id, self: `${api.url}/issue/${issue.id}`, key: issue.key };
  const fields: Record<string, unknown> = {};
  for (const id of options.fields ?? []) {
    const field = options.catalog.field(id);
    if (field) fields[id] = renderFieldValue(field, issue, options);
  }
  bean.fields = fields;
  if (options.properties.length > 0) {
    const all = options.properties.includes('*all');
    bean.properties = Object.fromEntries(Object.entries(issue.properties).filter(([key]) => all || options.properties.includes(key)));
  }
  if (options.expand.has('changelog')) {
    bean.changelog = embeddedChangelog(issue, api);
  }
  return bean;
}

export function expandSet(raw: unknown): Set<string> {
  if (typeof raw !== 'string') return new Set();
  return new Set(raw.split(',').map((item) => item.trim()).filter((item) => item !== ''));
}

/**
 * `expand=changelog`. Cloud: the most recent 100 entries, newest first (the rest through the paged
 * changelog). Data Center has no paged changelog: it embeds every entry, oldest first.
 */
function embeddedChangelog(issue: SimIssue, api: RestApi): Record<string, unknown> {
  const kept = api.deployment === 'cloud' ? issue.histories.slice(-100).reverse() : issue.histories;
  const histories = kept.map((history) => renderHistory(history, api));
  return { startAt: 0, maxResults: histories.length, total: issue.histories.length, histories };
}
