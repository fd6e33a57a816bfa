import { describe, expect, it } from 'vitest';
import { completeConfig, readConfig } from '../../src/config/read-config.js';
import { FileConfig } from '../../src/config/schema.js';
import { secretValues } from '../../src/config/secrets.js';
import { MINIMAL_ENV, filesystem, problemsOf, yamlFile } from './helpers.js';

const read = (text: string, env: Record<string, string> = {}, files: Record<string, string> = {}) =>
  readConfig({ ...MINIMAL_ENV, ...env }, yamlFile(text), filesystem(files));

const MAP = `
airflow:
  apiVersion: v1
  uiBaseUrl: https://ui.acme.io
environments:
  dev:
  staging: { maxInFlight: 4 }
  prod:
    airflowBaseUrl: https://airflow-prod.acme.io/
    airflowApiVersion: v2
    approvalLabel: prod-approved
    maxInFlight: 2
`;

describe('environments', () => {
  it('as a list (today’s form) gives every environment the top-level Airflow', () => {
    const config = readConfig(MINIMAL_ENV, null);
    expect(config.environments).toEqual(['dev', 'staging', 'prod']);
    expect(config.environmentSettings['prod']).toEqual({
      ownAirflow: false,
      airflowBaseUrl: 'https://airflow.acme.io',
      airflowUiBaseUrl: 'https://airflow.acme.io',
      airflowApiVersion: 'v1',
    });
  });

  it('as a mapping keeps the names in config.environments and resolves each one’s settings', () => {
    const config = read(MAP, { AIRFLOW_PROD_TOKEN: 'prod-token-1' });
    expect(config.environments).toEqual(['dev', 'staging', 'prod']);
    expect(config.environmentSettings).toEqual({
      dev: { ownAirflow: false, airflowBaseUrl: 'https://airflow.acme.io', airflowUiBaseUrl: 'https://ui.acme.io', airflowApiVersion: 'v1' },
      staging: { ownAirflow: false, airflowBaseUrl: 'https://airflow.acme.io', airflowUiBaseUrl: 'https://ui.acme.io', airflowApiVersion: 'v1', maxInFlight: 4 },
      prod: {
        ownAirflow: true,
        airflowBaseUrl: 'https://airflow-prod.acme.io',
        airflowUiBaseUrl: 'https://airflow-prod.acme.io',
        airflowApiVersion: 'v2',
        approvalLabel: 'prod-approved',
        maxInFlight: 2,
      },
    });
    expect(config.secrets.airflowByEnv).toEqual({ prod: { token: 'prod-token-1' } });
  });

  it('an environment’s own Airflow reads AIRFLOW_<ENV>_USER/_PASS from _FILE and $CREDENTIALS_DIRECTORY too', () => {
    const env = { AIRFLOW_PROD_USER: 'svc', AIRFLOW_PROD_PASS_FILE: '/s/pass' };
    expect(read(MAP, env, { '/s/pass': 'pw-from-file\n' }).secrets.airflowByEnv).toEqual({ prod: { user: 'svc', pass: 'pw-from-file' } });
    const creds = { CREDENTIALS_DIRECTORY: '/creds' };
    expect(read(MAP, creds, { '/creds/airflow_prod_token': 'from-systemd' }).secrets.airflowByEnv).toEqual({ prod: { token: 'from-systemd' } });
  });

  it('a name with other characters maps to _ in the variable, and every value is known for redaction', () => {
    const config = read('environments:\n  eu-west: { airflowBaseUrl: https://eu.acme.io }\n', { AIRFLOW_EU_WEST_TOKEN: 'eu-token-123' });
    expect(config.secrets.airflowByEnv).toEqual({ 'eu-west': { token: 'eu-token-123' } });
    expect(secretValues(config.secrets)).toEqual(['pat-secret-value', 'eu-token-123']);
  });

  it('an environment without its own Airflow reads no credentials of its own', () => {
    expect(read('environments:\n  dev: {}\n', { AIRFLOW_DEV_TOKEN: 'ignored-token' }).secrets.airflowByEnv).toBeUndefined();
  });

  it.each([
    [{ AIRFLOW_PROD_USER: 'svc' }, 'AIRFLOW_PROD_PASS: missing; AIRFLOW_PROD_USER is set, and Airflow user auth needs both (set AIRFLOW_PROD_PASS, AIRFLOW_PROD_PASS_FILE or a systemd LoadCredential= named airflow_prod_pass)'],
    [{ AIRFLOW_PROD_TOKEN: 'tok-123456', AIRFLOW_PROD_PASS: 'pw-123456', AIRFLOW_PROD_USER: 'svc' }, 'AIRFLOW_PROD_TOKEN: set together with AIRFLOW_PROD_USER/AIRFLOW_PROD_PASS; keep only one way to sign in to Airflow'],
  ])('credentials that do not pair up are named (%o)', (env, message) => {
    expect(problemsOf(() => read(MAP, env))).toEqual([message]);
  });

  it.each([
    ['environments:\n  prod: { airflowBaseUrl: "http://airflow.acme.io" }\n', 'environments.prod.airflowBaseUrl: "http://airflow.acme.io" uses plain http; use https:// (http is allowed only for localhost, 127.0.0.0/8 and [::1])'],
    ['environments:\n  prod: { airflowBaseUrl: "https://a.acme.io/api/v1" }\n', 'environments.prod.airflowBaseUrl: "https://a.acme.io/api/v1" ends in /api/v1; give the server root (the daemon adds the API path itself, by AIRFLOW_API_VERSION for Airflow)'],
    ['environments:\n  prod: { airflowBaseUrl: nope }\n', 'environments.prod.airflowBaseUrl: "nope" is not a valid URL; use an absolute URL such as https://example.com'],
    ['environments:\n  prod: { airflowApiVersion: v3 }\n', 'environments.prod.airflowApiVersion: "v3" is not allowed; use one of v1, v2'],
    ['environments:\n  prod: { maxInFlight: 0 }\n', 'environments.prod.maxInFlight: 0 is too small; use at least 1'],
    ['environments:\n  prod: { approvalLabel: "needs ok" }\n', 'environments.prod.approvalLabel: "needs ok" is not a Jira label (no spaces)'],
    ['environments:\n  prod: { url: x }\n', 'environments.prod.url: unknown key (allowed: airflowBaseUrl, airflowApiVersion, approvalLabel, maxInFlight)'],
    ['environments: {}\n', 'environments: no environment is configured; name at least one, e.g. "dev: {}"'],
    ['environments: []\n', 'environments: must list at least 1 item(s)'],
    [
      'environments:\n  eu-west: { airflowBaseUrl: "https://a.acme.io" }\n  eu_west: { airflowBaseUrl: "https://b.acme.io" }\n',
      'environments.eu_west: reads the same credentials (AIRFLOW_EU_WEST_TOKEN, _USER, _PASS) as environments.eu-west; rename one of them',
    ],
  ])('%j', (text, message) => {
    expect(problemsOf(() => read(text))).toEqual([message]);
  });

  it('a loopback http Airflow for an environment is fine (simulators, tunnels)', () => {
    expect(read('environments:\n  dev: { airflowBaseUrl: "http://127.0.0.1:8080" }\n').environmentSettings['dev']?.airflowBaseUrl).toBe('http://127.0.0.1:8080');
  });
});

describe('completeConfig', () => {
  it('makes a parsed file config whole, for code that builds one by hand', () => {
    const file = FileConfig.parse({ jira: { baseUrl: 'https://j.io/', projects: ['SCR'] }, airflow: { baseUrl: 'https://a.io/' }, environments: { dev: {} } });
    const config = completeConfig(file, {}, null);
    expect(config.jira.projects).toEqual(['SCR']);
    expect(config.environments).toEqual(['dev']);
    expect(config.environmentSettings['dev']).toMatchObject({ ownAirflow: false, airflowBaseUrl: 'https://a.io' });
    expect(Object.keys(config.projectSettings)).toEqual(['SCR']);
  });
});
