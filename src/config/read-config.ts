import { ConfigError } from './config-error.js';
import { overlayEnv, type Env } from './env-overlay.js';
import { keyName, type EnvOrigins } from './key-names.js';
import { parseConfigFile, type ConfigFile } from './parse-file.js';
import { baseUrlProblem, withoutTrailingSlash } from './base-url.js';
import { databaseUrlProblems } from './database-url.js';
import { FileConfig, type Config, type Secrets } from './schema.js';
import { readEnvironmentSecrets, readSecrets, secretValues, type ReadFile } from './secrets.js';
import { environmentNames, environmentsWithOwnAirflow, resolveEnvironments } from './resolve-environments.js';
import { projectKeys, resolveProjects } from './resolve-projects.js';
import { secretUseProblems } from './secret-checks.js';
import { semanticProblems } from './semantic-checks.js';
import { zodProblems } from './zod-problems.js';

const REQUIRED = [
  { path: ['jira', 'baseUrl'], variable: 'JIRA_BASE_URL', example: 'https://yourcompany.atlassian.net' },
  { path: ['jira', 'projects'], variable: 'JIRA_PROJECTS', example: 'SCR' },
  { path: ['airflow', 'baseUrl'], variable: 'AIRFLOW_BASE_URL', example: 'https://airflow.example.com' },
] as const;

const BASE_URLS = [
  ['jira', 'baseUrl'],
  ['airflow', 'baseUrl'],
  ['airflow', 'uiBaseUrl'],
] as const;

/**
 * The whole configuration: schema defaults < file < environment, plus secrets. Reads nothing itself
 * except through `readFile` (for `X_FILE` and `$CREDENTIALS_DIRECTORY`). Throws ConfigError listing
 * every problem found.
 */
export function readConfig(env: Env, file: ConfigFile | null, readFile?: ReadFile): Config {
  const configFile = file?.path ?? null;
  const overlay = overlayEnv(file === null ? {} : parseConfigFile(file), env);
  const parsed = FileConfig.safeParse(overlay.data, { reportInput: true });
  const { secrets, problems: secretProblems } = readSecrets(env, readFile);

  const problems = [...overlay.problems];
  if (!parsed.success) problems.push(...zodProblems(parsed.error.issues, overlay.origins));
  problems.push(...requiredProblems(overlay.data), ...baseUrlProblems(overlay.data, overlay.origins));
  problems.push(...secretProblems, ...databaseUrlProblems(secrets.databaseUrl, readFile));
  if (parsed.success) {
    problems.push(...semanticProblems(parsed.data));
    const own = environmentsWithOwnAirflow(parsed.data.environments);
    if (own.length > 0) {
      const byEnv = readEnvironmentSecrets(env, readFile, own);
      secrets.airflowByEnv = byEnv.airflowByEnv;
      problems.push(...byEnv.problems);
    }
    problems.push(...secretUseProblems(parsed.data, secrets));
  }

  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(unique(problems).map((problem) => redact(problem, secrets)), configFile);
  }
  return completeConfig(parsed.data, secrets, configFile);
}

/**
 * A parsed file config made whole: base URLs trimmed, project keys and environment names listed, and
 * the per-project and per-environment settings resolved. Also for tests that build a Config by hand.
 */
export function completeConfig(data: FileConfig, secrets: Secrets, configFile: string | null): Config {
  // Both are present: requiredProblems would have thrown otherwise (a test passing none gets '').
  const jiraBaseUrl = withoutTrailingSlash(data.jira.baseUrl ?? '');
  const airflowBaseUrl = withoutTrailingSlash(data.airflow.baseUrl ?? '');
  const uiBaseUrl = data.airflow.uiBaseUrl === undefined ? airflowBaseUrl : withoutTrailingSlash(data.airflow.uiBaseUrl);
  const environments = environmentNames(data.environments);
  return {
    ...data,
    jira: { ...data.jira, baseUrl: jiraBaseUrl, projects: projectKeys(data.jira.projects) },
    airflow: { ...data.airflow, baseUrl: airflowBaseUrl, uiBaseUrl },
    environments,
    environmentSettings: resolveEnvironments(data.environments, { baseUrl: airflowBaseUrl, uiBaseUrl, apiVersion: data.airflow.apiVersion }),
    projectSettings: resolveProjects(data.jira.projects, { ...data, environmentNames: environments }),
    secrets,
    configFile,
  };
}

function requiredProblems(data: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const { path, variable, example } of REQUIRED) {
    if (valueAt(data, path) !== undefined) continue;
    problems.push(`${path.join('.')}: required; set ${variable} or ${path.join('.')} in the config file (e.g. ${example})`);
  }
  return problems;
}

function baseUrlProblems(data: Readonly<Record<string, unknown>>, origins: EnvOrigins): string[] {
  const problems: string[] = [];
  for (const path of BASE_URLS) {
    const value = valueAt(data, path);
    if (typeof value !== 'string') continue;
    const problem = baseUrlProblem(keyName(path, origins), value);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}

function valueAt(data: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let current: unknown = data;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function unique(problems: readonly string[]): string[] {
  return [...new Set(problems)];
}

/** Messages are built never to hold a secret; this is the belt to that pair of braces. */
function redact(problem: string, secrets: Secrets): string {
  let safe = problem;
  for (const value of secretValues(secrets)) {
    if (value.length >= 6) safe = safe.replaceAll(value, '***');
  }
  return safe;
}
export { ConfigError } from './config-error.js';
