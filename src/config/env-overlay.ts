import type { EnvOrigins } from './key-names.js';

export type Env = Readonly<Record<string, string | undefined>>;

type Conversion = 'text' | 'list' | 'whole';

/** CONTRACT §2: each variable and the file key it overrides. */
const ENV_KEYS: readonly (readonly [variable: string, path: readonly [string, ...string[]], as: Conversion])[] = [
  ['RECONCILER_DB', ['db'], 'text'],
  ['LOG_LEVEL', ['logLevel'], 'text'],
  ['JIRA_BASE_URL', ['jira', 'baseUrl'], 'text'],
  ['JIRA_PROJECTS', ['jira', 'projects'], 'list'],
  ['AIRFLOW_BASE_URL', ['airflow', 'baseUrl'], 'text'],
  ['AIRFLOW_API_VERSION', ['airflow', 'apiVersion'], 'text'],
  ['METRICS_HOST', ['metrics', 'host'], 'text'],
  ['METRICS_PORT', ['metrics', 'port'], 'whole'],
  ['RECONCILE_INTERVAL_SECONDS', ['schedule', 'intervalSeconds'], 'whole'],
];

export interface EnvOverlay {
  data: Record<string, unknown>;
  origins: EnvOrigins;
  problems: string[];
}

/** The file's settings with the environment laid over them; an empty variable counts as unset. */
export function overlayEnv(fileData: Readonly<Record<string, unknown>>, env: Env): EnvOverlay {
  const data = structuredClone(fileData) as Record<string, unknown>;
  const origins = new Map<string, string>();
  const problems: string[] = [];
  for (const [variable, path, as] of ENV_KEYS) {
    const raw = env[variable]?.trim();
    if (raw === undefined || raw === '') continue;
    const value = convert(raw, as);
    if (value === undefined) {
      problems.push(`${variable}: ${JSON.stringify(raw)} is not a whole number; use digits only, e.g. 30`);
      continue;
    }
    if (setAt(data, path, value)) origins.set(path.join('.'), variable);
  }
  if (origins.has('jira.projects')) keepProjectSettings(data, fileData);
  // The interval from the environment is the operator's latest word: a cron in the file would otherwise win.
  if (origins.has('schedule.intervalSeconds')) {
    const schedule = data['schedule'];
    if (isMapping(schedule)) delete schedule['cron'];
  }
  return { data, origins, problems };
}

/** JIRA_PROJECTS picks the projects; a project the file gives settings for keeps them. */
function keepProjectSettings(data: Record<string, unknown>, fileData: Readonly<Record<string, unknown>>): void {
  const fileJira = fileData['jira'];
  const fileProjects = isMapping(fileJira) ? fileJira['projects'] : undefined;
  const jira = data['jira'];
  if (!Array.isArray(fileProjects) || !isMapping(jira) || !Array.isArray(jira['projects'])) return;
  const byKey = new Map<unknown, unknown>();
  for (const item of fileProjects as unknown[]) if (isMapping(item)) byKey.set(item['key'], item);
  jira['projects'] = (jira['projects'] as unknown[]).map((key) => structuredClone(byKey.get(key)) ?? key);
}

function convert(raw: string, as: Conversion): unknown {
  if (as === 'list') return raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (as === 'whole') return /^-?\d+$/.test(raw) ? Number(raw) : undefined;
  return raw;
}

/** False when the file made a section something other than a mapping: the schema reports that. */
function setAt(data: Record<string, unknown>, path: readonly [string, ...string[]], value: unknown): boolean {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    data[head] = value;
    return true;
  }
  const section = data[head] ?? {};
  if (!isMapping(section)) return false;
  data[head] = section;
  return setAt(section, rest as [string, ...string[]], value);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
