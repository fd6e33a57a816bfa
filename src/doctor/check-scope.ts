import type { Config, ProjectSettings } from '../config/schema.js';
import type { FieldRole } from '../jira/custom-fields.js';

export type { FieldRole };
export type StatusRole = keyof Config['jira']['statuses'];

/**
 * The settings one group of Jira checks is about: the top-level ones, or one project's own entry in
 * `jira.projects` (its lines carry the project's key, and only what it sets differently is checked).
 */
export interface CheckScope {
  /** null for the top-level settings; else the key of the project whose own settings these are. */
  project: string | null;
  /** The projects a sample ticket for the transition checks is looked for in; empty: none are checked. */
  projects: string[];
  fields: Config['jira']['fields'];
  statuses: Config['jira']['statuses'];
  sources: string[];
  runTypes: string[];
  environments: string[];
  /** The fields to check here. */
  fieldRoles: FieldRole[];
  /** The statuses to check here (configured ones only). */
  statusRoles: StatusRole[];
}

const FIELD_ROLES: readonly FieldRole[] = ['source', 'runType', 'params', 'environment', 'airflowRunId', 'runStatus', 'platformRunId'];
/** Fields the daemon writes with its moves and edits: a project writing other ones needs its own transition checks. */
const WRITTEN: readonly FieldRole[] = ['airflowRunId', 'runStatus', 'platformRunId'];

/** `jira field Source`, or `jira field Source (OPS)` for a project's own settings. */
export function scopedName(name: string, scope: Pick<CheckScope, 'project'>): string {
  return scope.project === null ? name : `${name} (${scope.project})`;
}

/** Where a setting lives in the config file: `jira.fields.source`, or `fields.source in the OPS entry of jira.projects`. */
export function settingName(path: string, scope: Pick<CheckScope, 'project'>, value?: string): string {
  const set = value === undefined ? path : `${path}: ${value}`;
  return scope.project === null ? `jira.${set}` : `${set} in the ${scope.project} entry of jira.projects`;
}

/** The top-level scope first, then one per project whose own entry sets something doctor checks differently. */
export function checkScopes(config: Config): CheckScope[] {
  const top = topLevel(config);
  const own = config.jira.projects.flatMap((key) => {
    const settings = config.projectSettings[key];
    return settings ? [projectScope(top, settings)].filter((scope) => scope.fieldRoles.length > 0 || scope.statusRoles.length > 0 || scope.projects.length > 0) : [];
  });
  const separate = new Set(own.filter((scope) => scope.projects.length > 0).map((scope) => scope.project));
  return [{ ...top, projects: config.jira.projects.filter((key) => !separate.has(key)) }, ...own];
}

function topLevel(config: Config): CheckScope {
  return {
    project: null,
    projects: [...config.jira.projects],
    fields: config.jira.fields,
    statuses: config.jira.statuses,
    sources: Object.keys(config.sources),
    runTypes: config.runTypes,
    environments: config.environments,
    fieldRoles: [...FIELD_ROLES],
    statusRoles: configuredStatuses(config.jira.statuses),
  };
}

function projectScope(top: CheckScope, settings: ProjectSettings): CheckScope {
  const scope = {
    project: settings.key,
    fields: settings.fields,
    statuses: settings.statuses,
    sources: Object.keys(settings.sources),
    runTypes: settings.runTypes,
    environments: settings.environments,
  };
  const fieldRoles = FIELD_ROLES.filter((role) => scope.fields[role] !== top.fields[role] || !within(wanted(scope, role), wanted(top, role)));
  const statusRoles = configuredStatuses(scope.statuses).filter((role) => scope.statuses[role] !== top.statuses[role]);
  // Its workflow is read off one of its own tickets when it moves between other statuses or writes other fields.
  const ownMoves = statusRoles.length > 0 || WRITTEN.some((role) => scope.fields[role] !== top.fields[role]);
  return { ...scope, projects: ownMoves ? [settings.key] : [], fieldRoles, statusRoles };
}

/** The select values a field must offer in this scope; none for fields that are not a list of choices. */
export function wanted(scope: Pick<CheckScope, 'sources' | 'runTypes' | 'environments'>, role: FieldRole): readonly string[] {
  if (role === 'source') return scope.sources;
  if (role === 'runType') return scope.runTypes;
  if (role === 'environment') return scope.environments;
  return [];
}

function within(values: readonly string[], others: readonly string[]): boolean {
  return values.every((value) => others.includes(value));
}

function configuredStatuses(statuses: Config['jira']['statuses']): StatusRole[] {
  return (Object.keys(statuses) as StatusRole[]).filter((role) => typeof statuses[role] === 'string');
}
