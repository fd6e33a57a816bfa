import type { Config, FileConfig, ProjectSettings, SourceConfig } from './schema.js';
import type { ProjectEntry } from './section-schemas.js';
import { overlay } from './overlay.js';

type TopLevel = Pick<FileConfig, 'sources' | 'runTypes'> & {
  jira: Pick<FileConfig['jira'], 'fields' | 'statuses'>;
  environmentNames: readonly string[];
};

/** The project keys, whether each item was a key or an object. */
export function projectKeys(projects: FileConfig['jira']['projects']): string[] {
  return (projects ?? []).map((item) => (typeof item === 'string' ? item : item.key));
}

/** Per project key, the top-level settings with that project's overrides merged in. */
export function resolveProjects(projects: FileConfig['jira']['projects'], top: TopLevel): Record<string, ProjectSettings> {
  const resolved: Record<string, ProjectSettings> = {};
  for (const item of projects ?? []) {
    const entry: ProjectEntry = typeof item === 'string' ? { key: item } : item;
    resolved[entry.key] = {
      key: entry.key,
      fields: overlay(top.jira.fields, entry.fields),
      statuses: overlay(top.jira.statuses, entry.statuses),
      sources: projectSources(entry.sources, top.sources),
      runTypes: [...(entry.runTypes ?? top.runTypes)],
      environments: [...(entry.environments ?? top.environmentNames)],
    };
  }
  return resolved;
}

/** A list picks top-level sources as they are; a mapping is merged over the top-level source of each name. */
export function projectSources(
  own: ProjectEntry['sources'],
  top: Readonly<Record<string, SourceConfig>>,
): Record<string, SourceConfig> {
  if (own === undefined) return { ...top };
  const merged: Record<string, SourceConfig> = {};
  if (Array.isArray(own)) {
    for (const name of own) merged[name] = top[name] ?? {};
    return merged;
  }
  for (const [name, settings] of Object.entries(own)) merged[name] = mergeSource(top[name] ?? {}, settings);
  return merged;
}

function mergeSource(parent: SourceConfig, child: SourceConfig): SourceConfig {
  const merged: SourceConfig = { ...parent, ...child };
  if (parent.retry !== undefined || child.retry !== undefined) merged.retry = { ...parent.retry, ...child.retry };
  if (parent.runTypes !== undefined || child.runTypes !== undefined) {
    const runTypes: NonNullable<SourceConfig['runTypes']> = { ...parent.runTypes };
    for (const [runType, settings] of Object.entries(child.runTypes ?? {})) {
      const base = runTypes[runType] ?? {};
      const next = { ...base, ...settings };
      if (base.retry !== undefined || settings.retry !== undefined) next.retry = { ...base.retry, ...settings.retry };
      runTypes[runType] = next;
    }
    merged.runTypes = runTypes;
  }
  return merged;
}

/** The project key of an issue key: `SCR-12` → `SCR`. */
export function projectOf(issueKey: string): string {
  const dash = issueKey.indexOf('-');
  return dash === -1 ? issueKey : issueKey.slice(0, dash);
}

/**
 * The settings that apply to one ticket. A ticket of a project the config does not list (a search
 * cannot return one, but a `--issue KEY` can name one) gets the top-level settings.
 */
export function settingsFor(
  config: Pick<Config, 'projectSettings' | 'sources' | 'runTypes' | 'environments'> & { jira: Pick<Config['jira'], 'fields' | 'statuses'> },
  issueKey: string,
): ProjectSettings {
  const key = projectOf(issueKey);
  return (
    config.projectSettings[key] ?? {
      key,
      fields: { ...config.jira.fields },
      statuses: { ...config.jira.statuses },
      sources: { ...config.sources },
      runTypes: [...config.runTypes],
      environments: [...config.environments],
    }
  );
}
