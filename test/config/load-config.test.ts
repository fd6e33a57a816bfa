import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { MINIMAL_ENV, problemsOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'reconciler-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  const fromArgument = join(dir, 'argument.yaml');
  const fromEnv = join(dir, 'env.json');
  writeFileSync(fromArgument, 'logLevel: debug\n');
  writeFileSync(fromEnv, '{"logLevel": "error"}');

  it('reads the file given by --config before RECONCILER_CONFIG', () => {
    const config = loadConfig({ ...MINIMAL_ENV, RECONCILER_CONFIG: fromEnv }, fromArgument);
    expect(config.logLevel).toBe('debug');
    expect(config.configFile).toBe(fromArgument);
  });

  it('falls back to RECONCILER_CONFIG, then to no file', () => {
    expect(loadConfig({ ...MINIMAL_ENV, RECONCILER_CONFIG: fromEnv }, undefined).logLevel).toBe('error');
    const config = loadConfig({ ...MINIMAL_ENV }, undefined);
    expect(config.configFile).toBeNull();
    expect(config.logLevel).toBe('info');
  });

  it('reads X_FILE secrets from disk', () => {
    const secret = join(dir, 'pat');
    writeFileSync(secret, 'pat-on-disk\n');
    const { JIRA_PAT: _p, ...env } = MINIMAL_ENV;
    expect(loadConfig({ ...env, JIRA_PAT_FILE: secret }, undefined).secrets.jiraPat).toBe('pat-on-disk');
  });

  it('a missing file is a ConfigError naming the path and where it came from', () => {
    const missing = join(dir, 'nope.yaml');
    expect(problemsOf(() => loadConfig({ ...MINIMAL_ENV }, missing))).toEqual([
      `${missing}: config file not found; check --config, or leave it unset to use defaults and the environment`,
    ]);
    expect(problemsOf(() => loadConfig({ ...MINIMAL_ENV, RECONCILER_CONFIG: missing }, undefined))).toEqual([
      `${missing}: config file not found; check RECONCILER_CONFIG, or leave it unset to use defaults and the environment`,
    ]);
  });
});
