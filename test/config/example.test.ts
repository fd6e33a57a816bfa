import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readConfig } from '../../src/config/read-config.js';
import { FileConfig } from '../../src/config/schema.js';

const path = new URL('../../config/example.yaml', import.meta.url);
const text = readFileSync(path, 'utf8');

describe('config/example.yaml', () => {
  it('is a valid configuration on its own, with only secrets from the environment', () => {
    const config = readConfig({ JIRA_PAT: 'example-pat' }, { path: 'config/example.yaml', text });
    expect(config.jira.baseUrl).toBe('https://yourcompany.atlassian.net');
    expect(config.jira.projects).toEqual(['SCR']);
    expect(config.airflow.uiBaseUrl).toBe('https://airflow.example.com');
    expect(config.sources['alfabeta']?.paramsSchema).toBeDefined();
  });

  it('shows the defaults: apart from the example values it equals an empty file', () => {
    const env = { JIRA_PAT: 'example-pat', JIRA_BASE_URL: 'https://a.io', JIRA_PROJECTS: 'SCR', AIRFLOW_BASE_URL: 'https://b.io' };
    const example = readConfig(env, { path: 'example.yaml', text });
    const defaults = readConfig(env, null);
    const { sources: exampleSources, projectSettings: exampleProjects, configFile: _e, ...exampleRest } = example;
    const { sources: defaultSources, projectSettings: defaultProjects, configFile: _d, ...defaultRest } = defaults;
    expect(exampleRest).toEqual(defaultRest);
    expect(Object.keys(exampleSources)).toEqual(Object.keys(defaultSources));
    // A project's sources are the top-level ones, which carry the example's schema.
    const withoutSources = (projects: typeof exampleProjects) => Object.values(projects).map(({ sources: _s, ...rest }) => rest);
    expect(withoutSources(exampleProjects)).toEqual(withoutSources(defaultProjects));
  });

  it('documents every key of the schema', () => {
    for (const key of schemaKeys(FileConfig.shape)) {
      expect(text, `config/example.yaml does not mention ${key}`).toMatch(new RegExp(`^\\s*#?\\s*(-\\s+)?${key}:`, 'm'));
    }
  });
});

/** Leaf and section names of the file schema, e.g. db, jira, baseUrl, fields, runStatus, cron. */
function schemaKeys(shape: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    keys.push(key);
    const inner = innerShape(schema);
    if (inner !== undefined) keys.push(...schemaKeys(inner));
  }
  return keys;
}

/** The keys inside a section, also through lists, unions (a key or a mapping) and nullable entries. */
function innerShape(schema: unknown): Record<string, unknown> | undefined {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.in;
    } else {
      break;
    }
  }
  if (current instanceof z.ZodRecord) return innerShape(current.valueType);
  if (current instanceof z.ZodArray) return innerShape(current.element);
  if (current instanceof z.ZodUnion) {
    const shapes = (current.options as readonly unknown[]).map(innerShape).filter((shape) => shape !== undefined);
    return shapes.length === 0 ? undefined : Object.assign({}, ...shapes);
  }
  return current instanceof z.ZodObject ? current.shape : undefined;
}
