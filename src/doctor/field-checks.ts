import { CUSTOM_FIELD_TYPE_PREFIX, FIELD_LABELS } from '../jira/custom-fields.js';
import { RUN_STATUSES } from '../config/schema.js';
import { isUpstreamError } from '../http/errors.js';
import { jiraFlavour } from '../jira/flavour.js';
import { fail, pass, skipped, type Check } from './checks.js';
import { jiraFailure } from './failures.js';
import { similarId } from './similar-id.js';
import { scopedName, settingName, wanted, type CheckScope, type FieldRole } from './check-scope.js';
import type { JiraCheckDeps } from './jira-checks.js';
import type { Field } from './jira-schema.js';
import type { SelectOption } from './jira-reads.js';

export type { FieldRole } from './check-scope.js';

export { FIELD_LABELS };

const TYPE_NAMES: Readonly<Record<string, string>> = { select: 'single select', textarea: 'multi-line text', textfield: 'single-line text' };

interface FieldSpec {
  /** Accepted custom field types, short form (`select`). */
  types: readonly string[];
  /** Values a select field must offer. */
  options?: readonly string[];
}

function fieldSpecs(scope: CheckScope): Record<FieldRole, FieldSpec> {
  return {
    source: { types: ['select', 'textfield'], options: wanted(scope, 'source') },
    runType: { types: ['select'], options: wanted(scope, 'runType') },
    params: { types: ['textarea'] },
    environment: { types: ['select'], options: wanted(scope, 'environment') },
    airflowRunId: { types: ['textfield'] },
    runStatus: { types: ['select'], options: RUN_STATUSES },
    platformRunId: { types: ['textfield'] },
  };
}

export function fieldCheckName(role: FieldRole, scope: Pick<CheckScope, 'project'> = { project: null }): string {
  return scopedName(`jira field ${FIELD_LABELS[role]}`, scope);
}

/** Every field line of these scopes, in the order they are printed. */
export function fieldCheckNames(scopes: readonly CheckScope[]): string[] {
  return scopes.flatMap((scope) => scope.fieldRoles.map((role) => fieldCheckName(role, scope)));
}


/**
 * One line per configured field of each scope (the top level, then each project's own fields): it exists,
 * has the type the daemon reads or writes, and offers the values. The field list and each field's
 * options are read once, whichever scopes ask.
 */
export async function fieldChecks(deps: JiraCheckDeps, scopes: readonly CheckScope[]): Promise<Check[]> {
  const { config } = deps;
  let fields: Field[];
  try {
    fields = await deps.reads.fields();
  } catch (error) {
    const [first, ...rest] = fieldCheckNames(scopes);
    return [jiraFailure(first ?? 'jira fields', error, config, deps.auth), ...rest.map((name) => skipped(name, 'the field list', first ?? ''))];
  }
  const options = new Map<string, Promise<SelectOption[] | null>>();
  const once: JiraCheckDeps = { ...deps, reads: { ...deps.reads, options: (id) => options.get(id) ?? remember(options, id, deps.reads.options(id)) } };
  const checks: Check[] = [];
  for (const scope of scopes) {
    const specs = fieldSpecs(scope);
    for (const role of scope.fieldRoles) checks.push(await fieldCheck(once, fields, scope, role, specs[role]));
  }
  return checks;
}

function remember<T>(cache: Map<string, Promise<T>>, key: string, value: Promise<T>): Promise<T> {
  cache.set(key, value);
  return value;
}

async function fieldCheck(deps: JiraCheckDeps, fields: readonly Field[], scope: CheckScope, role: FieldRole, spec: FieldSpec): Promise<Check> {
  const name = fieldCheckName(role, scope);
  const id = scope.fields[role];
  const setting = settingName(`fields.${role}`, scope);
  const label = FIELD_LABELS[role];
  const expected = spec.types.map(typeName).join(' or ');
  const field = fields.find((candidate) => candidate.id === id);
  if (!field) {
    // A typo of an existing id first (a project's own field is rarely named like the top-level one), then the usual name.
    const typo = similarId(id, fields.map((candidate) => candidate.id));
    const byName = fields.find((candidate) => candidate.id === typo) ?? fields.find((candidate) => candidate.name.toLowerCase() === label.toLowerCase());
    const hint = byName
      ? `a field named '${byName.name}' has id ${byName.id}: set ${settingName(`fields.${role}`, scope, byName.id)} in the config file`
      : `create a ${expected} field named ${label}, then set ${setting} in the config file to its id`;
    return fail(name, `Jira has no field ${id}`, hint);
  }
  const type = shortType(field);
  if (!spec.types.includes(type)) {
    return fail(
      name,
      `${id} ('${field.name}') is ${article(typeName(type))}, expected ${expected}`,
      `point ${setting} at a ${expected} field, or recreate '${field.name}' with that type`,
    );
  }
  if (type !== 'select' || !spec.options) return pass(name, `${id} ('${field.name}'), ${typeName(type)}`);
  return optionsCheck(deps, name, field, spec.options);
}

/**
 * Options live in the field's contexts, readable only with Administer Jira. A bot without it is the
 * recommended setup, so that case passes with a note instead of failing every run of doctor.
 * A value counts as offered when any context has it enabled: which context applies to which project
 * would take the project mappings, more admin reads for little gain.
 */
async function optionsCheck(deps: JiraCheckDeps, name: string, field: Field, wanted: readonly string[]): Promise<Check> {
  const where = `${field.id} ('${field.name}'), single select`;
  let options;
  try {
    options = await deps.reads.options(field.id);
  } catch (error) {
    if (isUpstreamError(error, 'auth') && error.status === 403) {
      return pass(name, `${where}; options not checked: reading them needs the Administer Jira permission`);
    }
    return jiraFailure(name, error, deps.config, deps.auth);
  }
  if (options === null) {
    const why = jiraFlavour(deps.config) === 'datacenter'
      ? `not on a create screen of ${deps.config.jira.projects.join(', ')} (Data Center lists options only there, from Jira 8.4)`
      : 'this Jira has no REST read for them';
    return pass(name, `${where}; options not checked: ${why}`);
  }
  const enabled = new Set(options.filter((option) => !option.disabled).map((option) => option.value));
  const disabled = new Set(options.filter((option) => option.disabled).map((option) => option.value));
  const missing = wanted.filter((value) => !enabled.has(value));
  if (missing.length === 0) return pass(name, `${where} with ${wanted.join(', ')}`);
  const listed = missing.map((value) => (disabled.has(value) ? `${value} (disabled)` : value)).join(', ');
  return fail(
    name,
    `${where}: missing option${missing.length > 1 ? 's' : ''} ${listed}`,
    `add or enable ${missing.join(', ')} in the field's context (Jira settings > Issues > Custom fields > ${field.name} > Contexts and default value)`,
  );
}

function shortType(field: Field): string {
  const custom = field.schema?.custom;
  if (custom) return custom.startsWith(CUSTOM_FIELD_TYPE_PREFIX) ? custom.slice(CUSTOM_FIELD_TYPE_PREFIX.length) : custom;
  return field.schema?.type ? `system ${field.schema.type}` : 'unknown';
}

function typeName(type: string): string {
  return TYPE_NAMES[type] ?? type;
}

function article(text: string): string {
  return /^[aeiou]/i.test(text) ? `an ${text}` : `a ${text}`;
}
