import { FIELD_LABELS, type FieldRole } from '../jira/custom-fields.js';
import { RUN_STATUSES, type Config } from '../config/schema.js';

export type { FieldRole } from '../jira/custom-fields.js';
export type FieldKind = 'select' | 'textarea' | 'textfield';
export type StatusCategory = 'TODO' | 'IN_PROGRESS' | 'DONE';

export interface WantedField {
  role: FieldRole;
  name: string;
  /** The configured id; setup looks for it first, then for the name. */
  configuredId: string;
  kind: FieldKind;
  /** Values a select field must offer. */
  options: string[];
}

export interface WantedStatus {
  name: string;
  category: StatusCategory;
  /** The statuses a ticket is moved to this one from, in the daemon's or a person's hands. */
  from: string[];
}


/** Every value the daemon writes to Run Status, `waiting` (in-flight caps) included. */
export const RUN_STATUS_VALUES: readonly string[] = [...RUN_STATUSES, 'waiting'];

/** The seven fields, with the options every configured project needs. */
export function wantedFields(config: Config): WantedField[] {
  const settings = Object.values(config.projectSettings);
  const union = (pick: (s: (typeof settings)[number]) => readonly string[]) => [...new Set(settings.flatMap(pick))];
  const sources = union((s) => Object.keys(s.sources));
  const kinds: Record<FieldRole, [FieldKind, string[]]> = {
    source: ['select', sources.length > 0 ? sources : Object.keys(config.sources)],
    runType: ['select', union((s) => s.runTypes)],
    params: ['textarea', []],
    environment: ['select', union((s) => s.environments)],
    airflowRunId: ['textfield', []],
    runStatus: ['select', [...RUN_STATUS_VALUES]],
    platformRunId: ['textfield', []],
  };
  return (Object.keys(FIELD_LABELS) as FieldRole[]).map((role) => {
    const [kind, options] = kinds[role];
    return { role, name: FIELD_LABELS[role], configuredId: config.jira.fields[role], kind, options };
  });
}

/** The statuses a project's workflow must reach, each with where tickets come to it from. */
export function wantedStatuses(config: Config, project: string, initial: string | null): WantedStatus[] {
  const statuses = config.projectSettings[project]?.statuses ?? config.jira.statuses;
  const { ready, completed, failed, cancelled, running } = statuses;
  const inWork = running ? [ready, running] : [ready];
  const wanted: WantedStatus[] = [
    { name: ready, category: 'IN_PROGRESS', from: initial ? [initial, completed, failed, cancelled] : [completed, failed, cancelled] },
    ...(running ? [{ name: running, category: 'IN_PROGRESS' as const, from: [ready] }] : []),
    { name: completed, category: 'DONE', from: inWork },
    { name: failed, category: 'DONE', from: inWork },
    { name: cancelled, category: 'DONE', from: inWork },
  ];
  return wanted;
}
