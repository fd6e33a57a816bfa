import { FIELDS, findField, type FieldDefinition } from './fields.js';
import { jiraTime, type History, type SimIssue, type SimUser, type StoredComment } from './model.js';
import { projectId } from './jql/values.js';
import { findStatus, STATUS_CATEGORIES } from './workflow.js';

export function renderUser(user: SimUser, baseUrl: string): Record<string, unknown> {
  const avatar = 'https://avatar-management.example.com/default.png';
  return {
    self: `${baseUrl}/rest/api/3/user?accountId=${user.accountId}`,
    accountId: user.accountId,
    emailAddress: user.emailAddress,
    avatarUrls: { '48x48': avatar, '24x24': avatar, '16x16': avatar, '32x32': avatar },
    displayName: user.displayName,
    active: true,
    timeZone: 'UTC',
    accountType: 'atlassian',
  };
}

export function renderStatus(name: string, baseUrl: string): Record<string, unknown> {
  const status = findStatus(name);
  if (!status) throw new Error(`Unknown status ${name}`);
  const category = STATUS_CATEGORIES[status.category];
  return {
    self: `${baseUrl}/rest/api/3/status/${status.id}`,
    description: '',
    iconUrl: `${baseUrl}/images/icons/statuses/generic.png`,
    name: status.name,
    untranslatedName: status.name,
    id: status.id,
    statusCategory: { self: `${baseUrl}/rest/api/3/statuscategory/${category.id}`, id: category.id, key: status.category, colorName: category.colorName, name: category.name },
  };
}

export function renderProject(key: string, position: number, baseUrl: string): Record<string, unknown> {
  return { self: `${baseUrl}/rest/api/3/project/${projectId(position)}`, id: projectId(position), key, name: `${key} scrape requests`, projectTypeKey: 'software', simplified: false };
}

export const ISSUE_TYPE = { id: '10002', name: 'Task', description: 'A small, distinct piece of work.', subtask: false, hierarchyLevel: 0 };

export function renderComment(comment: StoredComment, issue: SimIssue, baseUrl: string): Record<string, unknown> {
  const author = renderUser(comment.author, baseUrl);
  return {
    self: `${baseUrl}/rest/api/3/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author,
    body: comment.body,
    updateAuthor: author,
    created: jiraTime(comment.created),
    updated: jiraTime(comment.updated),
    jsdPublic: true,
  };
}

export function renderHistory(history: History, baseUrl: string): Record<string, unknown> {
  return { id: history.id, author: renderUser(history.author, baseUrl), created: jiraTime(history.created), items: history.items };
}

export function renderFieldValue(field: FieldDefinition, issue: SimIssue, projects: readonly string[], baseUrl: string): unknown {
  switch (field.id) {
    case 'status':
      return renderStatus(issue.status, baseUrl);
    case 'project':
      return renderProject(issue.project, projects.indexOf(issue.project), baseUrl);
    case 'issuetype':
      return { self: `${baseUrl}/rest/api/3/issuetype/${ISSUE_TYPE.id}`, ...ISSUE_TYPE };
    case 'created':
      return jiraTime(issue.created);
    case 'updated':
      return jiraTime(issue.updated);
    case 'comment': {
      const comments = issue.comments.map((comment) => renderComment(comment, issue, baseUrl));
      return { comments, self: `${baseUrl}/rest/api/3/issue/${issue.id}/comment`, maxResults: comments.length, total: comments.length, startAt: 0 };
    }
    default:
      return issue.fields[field.id] ?? null;
  }
}

/** Which fields a `fields` parameter asks for; null means ids only (the /search/jql default). */
export function selectFields(requested: string[], fallback: 'all' | 'id'): string[] | null {
  const tokens = requested.length > 0 ? requested : [fallback === 'all' ? '*all' : 'id'];
  const selected = new Set<string>();
  const excluded = new Set<string>();
  let onlyIds = true;
  for (const token of tokens) {
    if (token === '*all' || token === '*navigable') FIELDS.forEach((field) => selected.add(field.id));
    else if (token.startsWith('-')) excluded.add(token.slice(1));
    else if (findField(token)) selected.add(token);
    if (token !== 'id' && token !== 'key') onlyIds = false;
  }
  // Only exclusions means "navigable fields except those".
  if (selected.size === 0 && excluded.size > 0) FIELDS.forEach((field) => selected.add(field.id));
  if (onlyIds && !tokens.includes('key')) return null;
  return [...selected].filter((id) => !excluded.has(id));
}

export interface RenderOptions {
  fields: string[] | null;
  expand: ReadonlySet<string>;
  properties: readonly string[];
  projects: readonly string[];
  baseUrl: string;
}

/** An IssueBean with only the requested fields, properties and expansions. */
export function renderIssue(issue: SimIssue, options: RenderOptions): Record<string, unknown> {
  if (options.fields === null && options.expand.size === 0 && options.properties.length === 0) return { id: issue.id };
  const { baseUrl } = options;
  const bean: Record<string, unknown> = { expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations', id: issue.id, self: `${baseUrl}/rest/api/3/issue/${issue.id}`, key: issue.key };
  const fields: Record<string, unknown> = {};
  for (const id of options.fields ?? []) {
    const field = findField(id);
    if (field) fields[id] = renderFieldValue(field, issue, options.projects, baseUrl);
  }
  bean.fields = fields;
  if (options.properties.length > 0) {
    const all = options.properties.includes('*all');
    bean.properties = Object.fromEntries(Object.entries(issue.properties).filter(([key]) => all || options.properties.includes(key)));
  }
  if (options.expand.has('changelog')) {
    // As documented for expand=changelog: the most recent 100 entries, newest first.
    const histories = issue.histories.slice(-100).reverse().map((history) => renderHistory(history, baseUrl));
    bean.changelog = { startAt: 0, maxResults: histories.length, total: issue.histories.length, histories };
  }
  return bean;
}

export function expandSet(raw: unknown): Set<string> {
  if (typeof raw !== 'string') return new Set();
  return new Set(raw.split(',').map((item) => item.trim()).filter((item) => item !== ''));
}
