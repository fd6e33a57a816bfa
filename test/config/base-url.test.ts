import { describe, expect, it } from 'vitest';
import { baseUrlProblem } from '../../src/config/base-url.js';
import { readConfig } from '../../src/config/read-config.js';
import { MINIMAL_ENV, problemsOf, yamlFile } from './helpers.js';

describe('base URLs', () => {
  it('refuses http: to a host that is not loopback, naming the variable', () => {
    expect(problemsOf(() => readConfig({ ...MINIMAL_ENV, JIRA_BASE_URL: 'http://jira.acme.io' }, null))).toEqual([
      'JIRA_BASE_URL: "http://jira.acme.io" uses plain http; use https:// (http is allowed only for localhost, 127.0.0.0/8 and [::1])',
    ]);
  });

  it('refuses http: in the file, naming the file key', () => {
    const { AIRFLOW_BASE_URL: _a, ...env } = MINIMAL_ENV;
    expect(problemsOf(() => readConfig(env, yamlFile('airflow:\n  baseUrl: http://10.0.0.8:8080\n')))).toEqual([
      'airflow.baseUrl: "http://10.0.0.8:8080" uses plain http; use https:// (http is allowed only for localhost, 127.0.0.0/8 and [::1])',
    ]);
    expect(problemsOf(() => readConfig(MINIMAL_ENV, yamlFile('airflow:\n  uiBaseUrl: http://128.0.0.1\n')))).toEqual([
      'airflow.uiBaseUrl: "http://128.0.0.1" uses plain http; use https:// (http is allowed only for localhost, 127.0.0.0/8 and [::1])',
    ]);
  });

  for (const url of ['http://localhost:8080', 'http://127.0.0.5:9000', 'http://[::1]:8080', 'http://127.255.0.1']) {
    it(`accepts loopback http: ${url}`, () => {
      const config = readConfig({ ...MINIMAL_ENV, JIRA_BASE_URL: url, AIRFLOW_BASE_URL: `${url}/` }, null);
      expect(config.jira.baseUrl).toBe(url);
      expect(config.airflow.baseUrl).toBe(url);
    });
  }

  it('refuses other schemes', () => {
    expect(problemsOf(() => readConfig({ ...MINIMAL_ENV, AIRFLOW_BASE_URL: 'ftp://airflow.acme.io' }, null))).toEqual([
      'AIRFLOW_BASE_URL: "ftp://airflow.acme.io" uses ftp:, which is not supported; use https://',
    ]);
  });

  it('refuses embedded credentials without echoing them', () => {
    const problems = problemsOf(() => readConfig({ ...MINIMAL_ENV, JIRA_BASE_URL: 'https://me:hunter22@acme.atlassian.net' }, null));
    expect(problems).toEqual([
      'JIRA_BASE_URL: must not contain a user name or password; remove them and give credentials through the environment ' +
        '(JIRA_USERNAME, JIRA_API_TOKEN, JIRA_PAT, AIRFLOW_TOKEN, AIRFLOW_USER, AIRFLOW_PASS)',
    ]);
  });

  it('masks credentials when the URL is invalid for another reason', () => {
    const problems = problemsOf(() => readConfig({ ...MINIMAL_ENV, JIRA_BASE_URL: 'https://me:hunter22@acme atlassian' }, null));
    expect(problems).toEqual(['JIRA_BASE_URL: "https://***@acme atlassian" is not a valid URL; use an absolute URL such as https://example.com']);
  });
});

describe('a base URL that already holds the API path', () => {
  it.each([
    ['AIRFLOW_BASE_URL', 'https://airflow.example.com/api/v1', '/api/v1'],
    ['AIRFLOW_BASE_URL', 'https://airflow.example.com/airflow/api/v2/', '/api/v2'],
    ['AIRFLOW_BASE_URL', 'https://airflow.example.com/api', '/api'],
    ['JIRA_BASE_URL', 'https://acme.atlassian.net/rest/api/3', '/rest/api/3'],
  ])('%s=%s is refused, naming the path', (key, value, path) => {
    expect(baseUrlProblem(key, value)).toContain(`ends in ${path}; give the server root`);
  });

  it('accepts a root under a path prefix', () => {
    expect(baseUrlProblem('AIRFLOW_BASE_URL', 'https://example.com/airflow')).toBeUndefined();
  });
});
