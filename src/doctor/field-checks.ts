import { RUN_STATUSES, type Config } from '../config/schema.js';
import { isUpstreamError } from '../http/errors.js';
import { jiraFlavour } from '../jira/flavour.js';
import { fail, pass, skipped, type Check } from './checks.js';
import { jiraFailure } from './failures.js';
import type { JiraCheckDeps } from './jira-checks.js';
import type { Field } from './jira-schema.js';

export type FieldRole = keyof Config['jira']['fields'];

export const FIELD_LABELS: Readonly<Record<FieldRole, string>> = {
  source: 'Source',
  runType: 'Run Type',
  params: 'Parameters',
  environment: 'Environment',
  airflowRunId: 'Airflow Run ID',
  runStatus: 'Run Status',
  platformRunId: 'Platform Run ID',
};

const TYPE_PREFIX = 'com.atlassian.jira.plugin.system.customfieldtypes:';
const TYPE_NAMES: Readonly<Record<string, string>> = { select: 'single select', textarea: 'multi-line text', textfield: 'single-line text' };

interface FieldSpec {
  /** Accepted custom field types, short form (`select`). */
  types: readonly string[];
  /** Values a select field must offer. */
  options?: readonly string[];
}

function fieldSpecs(config: Config): Record<FieldRole, FieldSpec> {
  return {
    source: { types: ['select', 'textfield'], options: Object.keys(config.sources) },
    runType: { types: ['select'], options: config.runTypes },
    params: { types: ['textarea'] },
    environment: { types: ['select'], options: config.environments },
    airflowRunId: { types: ['textfield'] },
    runStatus: { types: ['select'], options: RUN_STATUSES },
    platformRunId: { types: ['textfield'] },
  };
}

export function fieldCheckName(role: FieldRole): string {
  return `jira field ${FIELD_LABELS[role]}`;
}

export const FIELD_ROLES = Object.keys(FIELD_LABELS) as FieldRole[];

/** One line per configured field: it exists, has the type the daemon reads or writes, and offers the values. */
export async function fieldChecks(deps: JiraCheckDeps): Promise<Check[]> {
  const { config } = deps;
  let fields: Field[];
  try {
    fields = await deps.reads.fields();
  } catch (error) {
    const [first, ...rest] = FIELD_ROLES.map(fieldCheckName);
    return [jiraFailure(first ?? 'jira fields', error, config, deps.auth), ...rest.map((name) => skipped(name, 'the field list', first ?? ''))];
  }
  const specs = fieldSpecs(config);
  const checks: Check[] = [];
  for (const role of FIELD_ROLES) checks.push(await fieldCheck(deps, fields, role, specs[role]));
  return checks;
}

async function fieldCheck(deps: JiraCheckDeps, fields: readonly Field[], role: FieldRole, spec: FieldSpec): Promise<Check> {
  const name = fieldCheckName(role);
  const id = deps.config.jira.fields[role];
  const label = FIELD_LABELS[role];
  const expected = spec.types.map(typeName).join(' or ');
  const field = fields.find((candidate) => candidate.id === id);
  if (!field) {
    const byName = fields.find((candidate) => candidate.name.toLowerCase() === label.toLowerCase());
    const hint = byName
      ? `a field named '${byName.name}' has id ${byName.id}: set jira.fields.${role}: ${byName.id} in the config file`
      : `create a ${expected} field named ${label}, then set jira.fields.${role} in the config file to its id`;
    return fail(name, `Jira has no field ${id}`, hint);
  }
  const type = shortType(field);
  if (!spec.types.includes(type)) {
    return fail(
      name,
      `${id} ('${field.name}') is ${article(typeName(type))}, expected ${expected}`,
      `point jira.fields.${role} at a ${expected} field, or recreate '${field.name}' with that type`,
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
  if (custom) return custom.startsWith(TYPE_PREFIX) ? custom.slice(TYPE_PREFIX.length) : custom;
  return field.schema?.type ? `system ${field.schema.type}` : 'unknown';
}

function typeName(type: string): string {
  return TYPE_NAMES[type] ?? type;
}

function article(text: string): string {
  return /^[aeiou]/i.test(text) ? `an ${text}` : `a ${text}`;
}
