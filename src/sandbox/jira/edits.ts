import type { SimResponse } from '../common/http.js';
import type { AdfDoc } from './adf.js';
import { isRecord, jiraError } from './context.js';
import { commentRefusal, takeText, type RestApi } from './deployment.js';
import { writeFields } from './field-values.js';
import type { JiraCatalog } from './catalog.js';
import type { FieldDefinition } from './fields.js';

export interface Edit {
  values: Record<string, unknown>;
  comments: AdfDoc[];
}

export interface EditRules {
  mayWrite: (field: FieldDefinition) => boolean;
  /** 'drop' silently discards comments, as Jira Cloud does on a transition whose screen has no Comment field. */
  comments: 'add' | 'drop';
  api: RestApi;
  catalog: JiraCatalog;
}

/** Reads `fields` and `update` of an IssueUpdateDetails body; a refusal is the 400 Jira would answer. */
export function parseEdit(body: unknown, rules: EditRules): { ok: true; edit: Edit } | { ok: false; response: SimResponse } {
  if (!isRecord(body)) return refuse(['The request body must be a JSON object.']);
  const fields = body.fields ?? {};
  const update = body.update ?? {};
  if (!isRecord(fields) || !isRecord(update)) return refuse(["'fields' and 'update' must be JSON objects."]);
  const sets: Record<string, unknown> = { ...fields };
  const comments: AdfDoc[] = [];
  const errors: Record<string, string> = {};
  for (const [fieldId, operations] of Object.entries(update)) {
    if (!Array.isArray(operations)) {
      errors[fieldId] = `The update operations for '${fieldId}' must be an array.`;
      continue;
    }
    for (const operation of operations as unknown[]) {
      if (fieldId === 'comment' && isRecord(operation) && isRecord(operation.add)) {
        const stored = takeText(rules.api, operation.add.body);
        if (stored) comments.push(stored);
        else errors.comment = commentRefusal(rules.api);
      } else if (isRecord(operation) && 'set' in operation) {
        sets[fieldId] = operation.set;
      } else {
        errors[fieldId] = `Only the 'set' operation is supported for '${fieldId}' here${fieldId === 'comment' ? " ('add' for comments)" : ''}.`;
      }
    }
  }
  const written = writeFields(rules.catalog, sets, rules.mayWrite, rules.api);
  if (!written.ok) Object.assign(errors, written.errors);
  if (Object.keys(errors).length > 0) return refuse([], errors);
  const values = written.ok ? written.values : {};
  return { ok: true, edit: { values, comments: rules.comments === 'add' ? comments : [] } };
}

function refuse(messages: string[], errors: Record<string, string> = {}): { ok: false; response: SimResponse } {
  return { ok: false, response: jiraError(400, messages, errors) };
}
