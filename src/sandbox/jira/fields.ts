/** How a field's value is stored, read, written and searched. */
export type FieldKind =
  | 'select'
  | 'textarea'
  | 'textfield'
  | 'summary'
  | 'labels'
  | 'status'
  | 'project'
  | 'issuetype'
  | 'datetime'
  | 'comment';

export interface SelectOption {
  id: string;
  value: string;
}

export interface FieldDefinition {
  id: string;
  name: string;
  kind: FieldKind;
  custom: boolean;
  /** Whether an edit or a transition screen may set it. */
  editable: boolean;
  /** Number in cf[N] clauses, for custom fields. */
  customId?: number;
  options?: SelectOption[];
}

function select(id: string, name: string, customId: number, values: string[]): FieldDefinition {
  const options = values.map((value, index) => ({ id: String(customId * 100 + index + 1), value }));
  return { id, name, kind: 'select', custom: true, editable: true, customId, options };
}

function custom(id: string, name: string, customId: number, kind: 'textarea' | 'textfield'): FieldDefinition {
  return { id, name, kind, custom: true, editable: true, customId };
}

function system(id: string, name: string, kind: FieldKind, editable = false): FieldDefinition {
  return { id, name, kind, custom: false, editable };
}

export const FIELDS: readonly FieldDefinition[] = [
  system('summary', 'Summary', 'summary', true),
  system('description', 'Description', 'textarea', true),
  system('labels', 'Labels', 'labels', true),
  system('status', 'Status', 'status'),
  system('project', 'Project', 'project'),
  system('issuetype', 'Issue Type', 'issuetype'),
  system('created', 'Created', 'datetime'),
  system('updated', 'Updated', 'datetime'),
  system('comment', 'Comment', 'comment'),
  select('customfield_source', 'Source', 10001, ['alfabeta', 'quebec', 'lafa']),
  select('customfield_run_type', 'Run Type', 10002, ['FULL_REFRESH', 'DELTA', 'SINGLE_PRODUCT']),
  custom('customfield_params', 'Parameters', 10003, 'textarea'),
  select('customfield_environment', 'Environment', 10004, ['dev', 'staging', 'prod']),
  custom('customfield_airflow_run_id', 'Airflow Run ID', 10005, 'textfield'),
  select('customfield_run_status', 'Run Status', 10006, ['queued', 'running', 'success', 'failed', 'cancelled', 'invalid', 'waiting']),
  custom('customfield_run_id', 'Platform Run ID', 10007, 'textfield'),
  // A second project's own Source field (`jira.projects[].fields.source`).
  select('customfield_ops_source', 'OPS Source', 10008, ['alfabeta', 'quebec', 'lafa']),
];

export const SELECT_SCHEMA = 'com.atlassian.jira.plugin.system.customfieldtypes:select';
export const TEXTAREA_SCHEMA = 'com.atlassian.jira.plugin.system.customfieldtypes:textarea';
export const TEXTFIELD_SCHEMA = 'com.atlassian.jira.plugin.system.customfieldtypes:textfield';

/** The field's `schema` as GET /field and editmeta describe it. */
export function fieldSchema(field: FieldDefinition): Record<string, unknown> {
  if (field.custom) {
    const customType = { select: SELECT_SCHEMA, textarea: TEXTAREA_SCHEMA, textfield: TEXTFIELD_SCHEMA }[field.kind as 'select'];
    const type = field.kind === 'select' ? 'option' : 'string';
    return { type, custom: customType, customId: field.customId };
  }
  const types: Record<FieldKind, Record<string, unknown>> = {
    summary: { type: 'string' },
    textarea: { type: 'string' },
    labels: { type: 'array', items: 'string' },
    status: { type: 'status' },
    project: { type: 'project' },
    issuetype: { type: 'issuetype' },
    datetime: { type: 'datetime' },
    comment: { type: 'comments-page' },
    select: { type: 'option' },
    textfield: { type: 'string' },
  };
  return { ...types[field.kind], system: field.id };
}
