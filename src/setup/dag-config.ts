import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/config-error.js';
import { overlayEnv } from '../config/env-overlay.js';
import { parseConfigFile } from '../config/parse-file.js';
import { FileConfig } from '../config/schema.js';
import { zodProblems } from '../config/zod-problems.js';
import type { DagSettings } from './airflow-dag.js';

/**
 * The settings the example DAG needs, from the config file and the environment as the daemon reads them,
 * but without the daemon's required settings and secrets: the DAG can be written where neither Jira nor
 * Airflow is reachable. A bad value or unknown key is still refused, naming it.
 */
export function dagSettingsFromConfig(env: NodeJS.ProcessEnv, configPath: string | undefined): DagSettings {
  const fromEnv = env['RECONCILER_CONFIG'];
  const path = configPath ?? (fromEnv === undefined || fromEnv === '' ? null : fromEnv);
  const overlay = overlayEnv(path === null ? {} : parseConfigFile({ path, text: readText(path) }), env);
  const parsed = FileConfig.safeParse(overlay.data, { reportInput: true });
  const problems = [...overlay.problems, ...(parsed.success ? [] : zodProblems(parsed.error.issues, overlay.origins))];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems, path);
  const { sources, airflow } = parsed.data;
  return {
    dags: Object.entries(sources).map(([source, settings]) => ({ source, dagId: settings.dagId ?? airflow.dagIdTemplate.replaceAll('{source}', source) })),
    taskId: airflow.resultTaskId,
    xcomKey: airflow.resultXcomKey,
    configFile: path,
  };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError([`${path}: cannot read the config file (${code}); check --config or RECONCILER_CONFIG`], path);
  }
}
