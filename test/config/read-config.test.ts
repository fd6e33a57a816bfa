import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { MINIMAL_ENV, yamlFile } from './helpers.js';

const FILE = yamlFile(`
db: /var/lib/reconciler/file.db
logLevel: warn
jira:
  baseUrl: https://file.atlassian.net
  projects: [FILE, OTHER]
airflow:
  baseUrl: https://airflow.file.io
  apiVersion: v2
metrics:
  host: 0.0.0.0
  port: 9000
schedule:
  intervalSeconds: 120
`);

describe('readConfig precedence: schema default < file < environment', () => {
  const cases = [
    { variable: 'RECONCILER_DB', value: '/tmp/env.db', pick: (c: Cfg) => c.db, byDefault: './data/reconciler.db', fromFile: '/var/lib/reconciler/file.db', fromEnv: '/tmp/env.db' },
    { variable: 'LOG_LEVEL', value: 'debug', pick: (c: Cfg) => c.logLevel, byDefault: 'info', fromFile: 'warn', fromEnv: 'debug' },
    { variable: 'AIRFLOW_API_VERSION', value: 'v1', pick: (c: Cfg) => c.airflow.apiVersion, byDefault: 'v1', fromFile: 'v2', fromEnv: 'v1' },
    { variable: 'METRICS_HOST', value: '10.0.0.5', pick: (c: Cfg) => c.metrics.host, byDefault: '127.0.0.1', fromFile: '0.0.0.0', fromEnv: '10.0.0.5' },
    { variable: 'METRICS_PORT', value: '9100', pick: (c: Cfg) => c.metrics.port, byDefault: 9464, fromFile: 9000, fromEnv: 9100 },
    { variable: 'RECONCILE_INTERVAL_SECONDS', value: '15', pick: (c: Cfg) => c.schedule.intervalSeconds, byDefault: 30, fromFile: 120, fromEnv: 15 },
  ] as const;

  for (const { variable, value, pick, byDefault, fromFile, fromEnv } of cases) {
    it(`${variable}: default, then file, then environment`, () => {
      expect(pick(readConfig(MINIMAL_ENV, null))).toBe(byDefault);
      expect(pick(readConfig(MINIMAL_ENV, FILE))).toBe(fromFile);
      expect(pick(readConfig({ ...MINIMAL_ENV, [variable]: value }, FILE))).toBe(fromEnv);
    });
  }

  it('JIRA_BASE_URL and AIRFLOW_BASE_URL override the file; the file is used without them', () => {
    const { JIRA_BASE_URL: _j, AIRFLOW_BASE_URL: _a, JIRA_PROJECTS: _p, ...secretsOnly } = MINIMAL_ENV;
    const fromFile = readConfig(secretsOnly, FILE);
    expect(fromFile.jira.baseUrl).toBe('https://file.atlassian.net');
    expect(fromFile.airflow.baseUrl).toBe('https://airflow.file.io');
    const fromEnv = readConfig(MINIMAL_ENV, FILE);
    expect(fromEnv.jira.baseUrl).toBe('https://acme.atlassian.net');
    expect(fromEnv.airflow.baseUrl).toBe('https://airflow.acme.io');
  });

  it('JIRA_PROJECTS is comma-separated, trimmed, empty items dropped, and replaces the file list', () => {
    const { JIRA_PROJECTS: _p, ...rest } = MINIMAL_ENV;
    expect(readConfig(rest, FILE).jira.projects).toEqual(['FILE', 'OTHER']);
    expect(readConfig({ ...rest, JIRA_PROJECTS: ' SCR , ,OPS,' }, FILE).jira.projects).toEqual(['SCR', 'OPS']);
  });

  it('an empty variable counts as unset', () => {
    expect(readConfig({ ...MINIMAL_ENV, LOG_LEVEL: '', METRICS_PORT: ' ' }, FILE)).toMatchObject({
      logLevel: 'warn',
      metrics: { port: 9000 },
    });
  });

  it('RECONCILE_INTERVAL_SECONDS drops a cron set in the file; without it the cron stays', () => {
    const withCron = yamlFile('schedule:\n  cron: "*/5 * * * *"\n  intervalSeconds: 60\n');
    expect(readConfig(MINIMAL_ENV, withCron).schedule.cron).toBe('*/5 * * * *');
    const overridden = readConfig({ ...MINIMAL_ENV, RECONCILE_INTERVAL_SECONDS: '10' }, withCron);
    expect(overridden.schedule).toEqual({ intervalSeconds: 10, stopTimeoutSeconds: 60 });
  });
});

describe('readConfig file formats and derived values', () => {
  it('reads JSON by extension', () => {
    const json = { path: '/etc/reconciler.json', text: JSON.stringify({ jira: { pageSize: 20 }, lockWaitMs: 0 }) };
    const config = readConfig(MINIMAL_ENV, json);
    expect(config.jira.pageSize).toBe(20);
    expect(config.lockWaitMs).toBe(0);
    expect(config.configFile).toBe('/etc/reconciler.json');
  });

  it('reads .yml as YAML and treats an empty file as all defaults', () => {
    expect(readConfig(MINIMAL_ENV, yamlFile('http:\n  retries: 0\n', '/x/c.yml')).http.retries).toBe(0);
    expect(readConfig(MINIMAL_ENV, yamlFile('', '/x/empty.yaml')).jira.pageSize).toBe(50);
  });

  it('without a file every setting has its default and configFile is null', () => {
    const config = readConfig(MINIMAL_ENV, null);
    expect(config.configFile).toBeNull();
    expect(Object.keys(config.sources)).toEqual(['alfabeta', 'quebec', 'lafa']);
    expect(config.jira.statuses.ready).toBe('Ready to Run');
  });

  it('removes trailing slashes from base URLs and defaults uiBaseUrl to the Airflow base URL', () => {
    const config = readConfig({ ...MINIMAL_ENV, JIRA_BASE_URL: 'https://acme.atlassian.net/', AIRFLOW_BASE_URL: 'https://af.io/root//' }, null);
    expect(config.jira.baseUrl).toBe('https://acme.atlassian.net');
    expect(config.airflow.baseUrl).toBe('https://af.io/root');
    expect(config.airflow.uiBaseUrl).toBe('https://af.io/root');
  });

  it('keeps a uiBaseUrl set in the file, without its trailing slash', () => {
    const config = readConfig(MINIMAL_ENV, yamlFile('airflow:\n  uiBaseUrl: https://ui.acme.io/\n'));
    expect(config.airflow.uiBaseUrl).toBe('https://ui.acme.io');
  });

  it('accepts a dagIdTemplate without {source} when every source sets its dagId', () => {
    const file = yamlFile('airflow:\n  dagIdTemplate: scraper\nsources:\n  alfabeta:\n    dagId: ab_v2\n');
    expect(readConfig(MINIMAL_ENV, file).sources['alfabeta']?.dagId).toBe('ab_v2');
  });
});

type Cfg = ReturnType<typeof readConfig>;
