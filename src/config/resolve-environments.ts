import { withoutTrailingSlash } from './base-url.js';
import type { EnvironmentSettings, FileConfig } from './schema.js';

/** The environment names, whether the file gave a list or a mapping. */
export function environmentNames(environments: FileConfig['environments']): string[] {
  return Array.isArray(environments) ? [...environments] : Object.keys(environments);
}

/** The environments that name an Airflow of their own, and so read their own credentials. */
export function environmentsWithOwnAirflow(environments: FileConfig['environments']): string[] {
  if (Array.isArray(environments)) return [];
  return Object.entries(environments)
    .filter(([, entry]) => entry.airflowBaseUrl !== undefined)
    .map(([name]) => name);
}

interface TopAirflow {
  baseUrl: string;
  uiBaseUrl: string;
  apiVersion: 'v1' | 'v2';
}

/** Each environment's settings; one without its own Airflow uses the top-level one. */
export function resolveEnvironments(environments: FileConfig['environments'], airflow: TopAirflow): Record<string, EnvironmentSettings> {
  const resolved: Record<string, EnvironmentSettings> = {};
  const shared = { ownAirflow: false, airflowBaseUrl: airflow.baseUrl, airflowUiBaseUrl: airflow.uiBaseUrl, airflowApiVersion: airflow.apiVersion };
  if (Array.isArray(environments)) {
    for (const name of environments) resolved[name] = { ...shared };
    return resolved;
  }
  for (const [name, entry] of Object.entries(environments)) {
    const { airflowBaseUrl, airflowApiVersion, ...rest } = entry;
    if (airflowBaseUrl === undefined) {
      resolved[name] = { ...rest, ...shared, airflowApiVersion: airflowApiVersion ?? airflow.apiVersion };
      continue;
    }
    const own = withoutTrailingSlash(airflowBaseUrl);
    resolved[name] = { ...rest, ownAirflow: true, airflowBaseUrl: own, airflowUiBaseUrl: own, airflowApiVersion: airflowApiVersion ?? airflow.apiVersion };
  }
  return resolved;
}
