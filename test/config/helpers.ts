import { expect } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';

/** The least environment that makes a valid configuration without a file. */
export const MINIMAL_ENV = {
  JIRA_BASE_URL: 'https://acme.atlassian.net',
  JIRA_PROJECTS: 'SCR',
  AIRFLOW_BASE_URL: 'https://airflow.acme.io',
  JIRA_PAT: 'pat-secret-value',
} as const;

export function yamlFile(text: string, path = '/etc/reconciler/config.yaml'): { path: string; text: string } {
  return { path, text };
}

/** Runs a config read that must fail and returns the ConfigError it threw. */
export function configErrorOf(read: () => unknown): ConfigError {
  let caught: unknown;
  try {
    read();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

export function problemsOf(read: () => unknown): readonly string[] {
  return configErrorOf(read).problems;
}

/** A readFile double over an in-memory set of files; a missing one fails like fs does. */
export function filesystem(files: Readonly<Record<string, string>>): (path: string) => string {
  return (path) => {
    const text = files[path];
    if (text !== undefined) return text;
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
  };
}
