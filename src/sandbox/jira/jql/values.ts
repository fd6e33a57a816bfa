import { adfToText, isAdfDoc } from '../adf.js';
import type { FieldDefinition } from '../fields.js';
import type { SimIssue } from '../model.js';
import type { JiraCatalog } from '../catalog.js';

/** What a JQL clause may compare against: the simulator's projects and issues at query time. */
export interface JqlContext {
  projects: readonly string[];
  now: number;
  issueExists(keyOrId: string): boolean;
  catalog: JiraCatalog;
}

/** The issue's values of an enumerated field, lower-cased (empty array = EMPTY). */
export function enumValues(field: FieldDefinition, issue: SimIssue): string[] {
  switch (field.kind) {
    case 'status':
      return [issue.status.toLowerCase()];
    case 'project':
      return [issue.project.toLowerCase()];
    case 'issuetype':
      return ['task'];
    case 'labels':
      return ((issue.fields.labels as string[] | null) ?? []).map((label) => label.toLowerCase());
    default: {
      const value = issue.fields[field.id] as { value?: unknown } | null | undefined;
      return value && typeof value.value === 'string' ? [value.value.toLowerCase()] : [];
    }
  }
}

/** The canonical lower-cased value a clause operand names, or the message Jira gives for an unknown one. */
export function resolveEnumOperand(field: FieldDefinition, text: string, context: JqlContext): { value: string } | { error: string } {
  const lower = text.toLowerCase();
  switch (field.kind) {
    case 'status': {
      const status = context.catalog.status(text);
      return status ? { value: status.name.toLowerCase() } : { error: `The value '${text}' does not exist for the field 'status'.` };
    }
    case 'project': {
      const index = context.projects.findIndex((key, position) => key.toLowerCase() === lower || projectId(position) === text);
      const key = context.projects[index];
      return key ? { value: key.toLowerCase() } : { error: `The value '${text}' does not exist for the field 'project'.` };
    }
    case 'issuetype':
      return lower === 'task' || text === '10002' ? { value: 'task' } : { error: `The value '${text}' does not exist for the field 'issuetype'.` };
    case 'labels':
      return { value: lower };
    default: {
      const option = field.options?.find((candidate) => candidate.value.toLowerCase() === lower || candidate.id === text);
      return option ? { value: option.value.toLowerCase() } : { error: `The option '${text}' for field '${field.name}' does not exist.` };
    }
  }
}

export function projectId(position: number): string {
  return String(10000 + position);
}

/** The searchable text of a text field (ADF reduced to plain text). */
export function textValue(field: FieldDefinition, issue: SimIssue): string {
  if (field.kind === 'comment') return issue.comments.map((comment) => adfToText(comment.body)).join('\n');
  const value = issue.fields[field.id];
  if (isAdfDoc(value)) return adfToText(value);
  return typeof value === 'string' ? value : '';
}

export function dateValue(field: FieldDefinition, issue: SimIssue): number {
  return field.id === 'created' ? issue.created : issue.updated;
}

/** A sortable value: workflow position for status, option position for selects. */
export function sortValue(field: FieldDefinition, issue: SimIssue, catalog: JiraCatalog): string | number | null {
  switch (field.kind) {
    case 'datetime':
      return dateValue(field, issue);
    case 'status':
      return catalog.statuses.findIndex((status) => status.name === issue.status);
    case 'select': {
      const [value] = enumValues(field, issue);
      if (value === undefined) return null;
      const index = field.options?.findIndex((option) => option.value.toLowerCase() === value) ?? -1;
      return index >= 0 ? index : value;
    }
    case 'project':
    case 'issuetype':
    case 'labels':
      return enumValues(field, issue).join(' ') || null;
    default:
      return textValue(field, issue) || null;
  }
}
