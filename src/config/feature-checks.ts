import { baseUrlProblem } from './base-url.js';
import { showValue } from './key-names.js';
import { retryPattern } from './retry-policy.js';
import { environmentNames, environmentsWithOwnAirflow } from './resolve-environments.js';
import { projectKeys } from './resolve-projects.js';
import type { FileConfig } from './schema.js';
import { environmentVariablePrefix } from './secrets.js';

/** Cross-key rules of the §7 features: what each setting names must exist. */
export function featureProblems(config: FileConfig): string[] {
  return [
    ...patternProblems('retry.when', config.retry.when),
    ...projectProblems(config),
    ...notificationProblems(config),
    ...environmentProblems(config),
  ];
}

/** Each `when` item must compile, as `pattern` or `/pattern/flags`. */
export function patternProblems(key: string, when: readonly string[] | undefined): string[] {
  const problems: string[] = [];
  (when ?? []).forEach((pattern, index) => {
    try {
      retryPattern(pattern);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(
        `${key}[${index}]: ${showValue(pattern)} is not a valid regular expression (${reason}); ` +
          'write a JavaScript regular expression, e.g. "timed out|503", or "/timeout/i" for any case',
      );
    }
  });
  return problems;
}

function projectProblems(config: FileConfig): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const topSources = Object.keys(config.sources);
  const topEnvironments = environmentNames(config.environments);
  (config.jira.projects ?? []).forEach((item, index) => {
    const key = typeof item === 'string' ? item : item.key;
    if (seen.has(key)) problems.push(`jira.projects[${index}]: ${key} is listed twice; list each project once`);
    seen.add(key);
    if (typeof item === 'string') return;
    if (Array.isArray(item.sources)) {
      for (const name of item.sources.filter((name) => !topSources.includes(name))) {
        problems.push(`jira.projects[${index}].sources: ${showValue(name)} is not a configured source; use one of ${topSources.join(', ')}, or give its settings as a mapping`);
      }
    }
    for (const name of (item.environments ?? []).filter((name) => !topEnvironments.includes(name))) {
      problems.push(`jira.projects[${index}].environments: ${showValue(name)} is not a configured environment; use one of ${topEnvironments.join(', ')}`);
    }
  });
  return problems;
}

function notificationProblems(config: FileConfig): string[] {
  const problems: string[] = [];
  const sources = new Set(Object.keys(config.sources));
  for (const item of config.jira.projects ?? []) {
    if (typeof item !== 'string' && item.sources !== undefined) {
      for (const name of Array.isArray(item.sources) ? item.sources : Object.keys(item.sources)) sources.add(name);
    }
  }
  const projects = projectKeys(config.jira.projects);
  for (const channel of ['slack', 'email'] as const) {
    const settings = config.notifications[channel];
    if (settings === undefined) continue;
    for (const name of (settings.sources ?? []).filter((name) => !sources.has(name))) {
      problems.push(`notifications.${channel}.sources: ${showValue(name)} is not a configured source; use one of ${[...sources].join(', ')}`);
    }
    // Without a project list (JIRA_PROJECTS unset and none in the file) the required-key message says it.
    if (projects.length === 0) continue;
    for (const key of (settings.projects ?? []).filter((key) => !projects.includes(key))) {
      problems.push(`notifications.${channel}.projects: ${key} is not one of jira.projects (${projects.join(', ')}); add it there or remove it here`);
    }
  }
  return problems;
}

function environmentProblems(config: FileConfig): string[] {
  const environments = config.environments;
  if (Array.isArray(environments)) return [];
  if (Object.keys(environments).length === 0) return ['environments: no environment is configured; name at least one, e.g. "dev: {}"'];
  const problems: string[] = [];
  const prefixes = new Map<string, string>();
  for (const name of environmentsWithOwnAirflow(environments)) {
    const url = environments[name]?.airflowBaseUrl ?? '';
    const problem = baseUrlProblem(`environments.${name}.airflowBaseUrl`, url);
    if (problem !== undefined) problems.push(problem);
    const prefix = environmentVariablePrefix(name);
    const other = prefixes.get(prefix);
    if (other !== undefined) {
      problems.push(`environments.${name}: reads the same credentials (${prefix}_TOKEN, _USER, _PASS) as environments.${other}; rename one of them`);
    }
    prefixes.set(prefix, name);
  }
  return problems;
}
