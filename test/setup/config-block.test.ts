import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configBlock, mergeConfig } from '../../src/setup/config-block.js';

describe('the jira.fields block', () => {
  it('prints the ids as a jira: block', () => {
    expect(configBlock({ source: 'customfield_10042', runStatus: 'customfield_10047' })).toBe('jira:\n  fields:\n    source: customfield_10042\n    runStatus: customfield_10047\n');
  });

  it('merges into a YAML file keeping its other keys, field ids and comments', () => {
    const existing = '# site settings\njira:\n  projects: [SCR] # ours\n  fields:\n    params: customfield_10999\n    source: customfield_source\nhttp:\n  timeoutMs: 20000\n';
    const merged = mergeConfig('reconciler.yaml', existing, { source: 'customfield_10042' });
    expect(merged).toContain('# site settings');
    expect(merged).toContain('# ours');
    expect(parse(merged)).toEqual({ jira: { projects: ['SCR'], fields: { params: 'customfield_10999', source: 'customfield_10042' } }, http: { timeoutMs: 20000 } });
  });

  it('writes a new file when there is none, and keeps JSON as JSON', () => {
    expect(parse(mergeConfig('new.yaml', null, { runType: 'customfield_10043' }))).toEqual({ jira: { fields: { runType: 'customfield_10043' } } });
    const json = mergeConfig('c.json', '{"jira":{"projects":["SCR"]},"http":{"timeoutMs":1000}}', { runType: 'customfield_10043' });
    expect(JSON.parse(json)).toEqual({ jira: { projects: ['SCR'], fields: { runType: 'customfield_10043' } }, http: { timeoutMs: 1000 } });
  });

  it('refuses to rewrite a file that is not valid YAML, naming it', () => {
    expect(() => mergeConfig('broken.yaml', 'jira: [unclosed', { source: 'x' })).toThrow(/broken.yaml: not valid YAML/);
  });
});
