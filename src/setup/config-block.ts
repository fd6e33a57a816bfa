import { Document, parseDocument } from 'yaml';
import type { FieldRole } from './wanted.js';

export type FieldIdMap = Partial<Record<FieldRole, string>>;

/** The `jira:` block with the real field ids, as it goes in the config file. */
export function configBlock(ids: FieldIdMap): string {
  const doc = new Document({ jira: { fields: { ...ids } } });
  return doc.toString();
}

/**
 * Sets jira.fields.* in an existing config file, keeping its other keys and its comments (YAML's
 * Document API edits the tree in place); a JSON file stays JSON. Throws with the file's parse error.
 */
export function mergeConfig(path: string, existing: string | null, ids: FieldIdMap): string {
  if (path.endsWith('.json')) {
    const data = existing === null || existing.trim() === '' ? {} : (JSON.parse(existing) as Record<string, unknown>);
    const jira = (data.jira ??= {}) as Record<string, unknown>;
    jira.fields = { ...(jira.fields as Record<string, unknown> | undefined), ...ids };
    return `${JSON.stringify(data, null, 2)}\n`;
  }
  const doc = existing === null || existing.trim() === '' ? new Document({}) : parseDocument(existing);
  if (doc.errors.length > 0) throw new Error(`${path}: not valid YAML (${doc.errors[0]?.message ?? 'parse error'}); fix it or write to a new file`);
  for (const [role, id] of Object.entries(ids)) doc.setIn(['jira', 'fields', role], id);
  return doc.toString();
}
