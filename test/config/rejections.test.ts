import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { MINIMAL_ENV, configErrorOf, problemsOf, yamlFile } from './helpers.js';

function fileProblems(text: string, path?: string): readonly string[] {
  return problemsOf(() => readConfig(MINIMAL_ENV, yamlFile(text, path)));
}

describe('readConfig rejects a bad file with a message naming the key', () => {
  it('an unknown key at the top level lists the allowed keys', () => {
    expect(fileProblems('bogus: 1\n')).toEqual([
      'bogus: unknown key (allowed: db, logLevel, jira, airflow, sources, runTypes, environments, retry, notifications, watchdog, schedule, metrics, http, lockWaitMs, ha)',
    ]);
  });

  it('an unknown nested key lists the keys allowed there', () => {
    expect(fileProblems('jira:\n  fields:\n    runstatus: x\n')).toEqual([
      'jira.fields.runstatus: unknown key (allowed: source, runType, params, environment, airflowRunId, runStatus, platformRunId)',
    ]);
    expect(fileProblems('sources:\n  lafa:\n    dag: x\n')).toEqual(['sources.lafa.dag: unknown key (allowed: dagId, paramsSchema, runTypes, retry, maxInFlight, suspended)']);
  });

  it('a bad enum value says which values are allowed', () => {
    expect(fileProblems('airflow:\n  apiVersion: v3\n')).toEqual(['airflow.apiVersion: "v3" is not allowed; use one of v1, v2']);
  });

  it('numbers out of range, fractions, wrong types and empty strings', () => {
    expect(
      fileProblems(
        'jira:\n  pageSize: 500\n  cursorOverlapMinutes: 1.5\n  fields:\n    runStatus: ""\nhttp:\n  timeoutMs: 5\n' +
          'environments: dev\nruntypes: []\n',
      ),
    ).toEqual([
      'jira.fields.runStatus: must not be empty',
      'jira.pageSize: 500 is too large; use at most 100',
      'jira.cursorOverlapMinutes: 1.5 is not a whole number',
      'environments: expected a list or a mapping, got "dev"',
      'http.timeoutMs: 5 is too small; use at least 100',
      'runtypes: unknown key (allowed: db, logLevel, jira, airflow, sources, runTypes, environments, retry, notifications, watchdog, schedule, metrics, http, lockWaitMs, ha)',
    ]);
  });

  it('a project key and a source name in the wrong form', () => {
    const { JIRA_PROJECTS: _p, ...env } = MINIMAL_ENV;
    const file = yamlFile('jira:\n  projects: [SCR, ops]\nsources:\n  AlfaBeta: {}\n');
    expect(problemsOf(() => readConfig(env, file))).toEqual([
      'jira.projects[1]: "ops" is not a Jira project key such as SCR',
      'sources.AlfaBeta: the name "AlfaBeta" is not a lower-case source name (use lower-case letters, digits and _)',
    ]);
  });

  it('a bad cron expression', () => {
    expect(fileProblems('schedule:\n  cron: "61 * * * *"\n')).toEqual([
      'schedule.cron: "61 * * * *" is not a valid cron expression; use 5 fields (minute hour day-of-month month ' +
        'day-of-week) or 6 with seconds first, e.g. "*/5 * * * *", or remove it to use schedule.intervalSeconds',
    ]);
  });

  it('a paramsSchema ajv cannot compile, with ajv\'s reason', () => {
    expect(fileProblems('sources:\n  alfabeta:\n    paramsSchema:\n      type: object\n      minimun: 1\n')).toEqual([
      'sources.alfabeta.paramsSchema: not a usable JSON Schema (strict mode: unknown keyword: "minimun"); write a draft 2020-12 JSON Schema',
    ]);
  });

  it('no sources at all', () => {
    expect(fileProblems('sources: {}\n')).toEqual(['sources: no source is configured; name at least one, e.g. "alfabeta: {}"']);
  });

  it('a dagIdTemplate without {source} while a source has no dagId', () => {
    expect(fileProblems('airflow:\n  dagIdTemplate: scraper\nsources:\n  alfabeta: { dagId: ab }\n  lafa: {}\n')).toEqual([
      'airflow.dagIdTemplate: "scraper" has no {source}, so every source would use one DAG; add {source}, or set dagId for sources.lafa',
    ]);
  });

  it('DAG ids that Airflow would refuse, from the template or a source', () => {
    expect(fileProblems('airflow:\n  dagIdTemplate: "scraper {source}"\nsources:\n  lafa: {}\n  quebec: { dagId: "q/1" }\n')).toEqual([
      'airflow.dagIdTemplate: the DAG id "scraper lafa" for source lafa is not valid; use only letters, digits, _, . and -',
      'sources.quebec.dagId: the DAG id "q/1" for source quebec is not valid; use only letters, digits, _, . and -',
    ]);
  });

  it('secret-looking keys are unknown keys with a hint to use the environment', () => {
    expect(fileProblems('jira:\n  apiToken: abc\nairflow:\n  password: pw\npassword: x\n')).toEqual([
      'jira.apiToken: unknown key; secrets are never read from the config file; set JIRA_API_TOKEN in the environment, ' +
        'or JIRA_API_TOKEN_FILE, or a systemd LoadCredential= named jira_api_token',
      'airflow.password: unknown key; secrets are never read from the config file; set AIRFLOW_PASS in the environment, ' +
        'or AIRFLOW_PASS_FILE, or a systemd LoadCredential= named airflow_pass',
      'password: unknown key; secrets are never read from the config file; set JIRA_USERNAME, JIRA_API_TOKEN, JIRA_PAT, ' +
        'AIRFLOW_TOKEN, AIRFLOW_USER or AIRFLOW_PASS in the environment, or as X_FILE, or a systemd LoadCredential= named x in lower case',
    ]);
  });

  it('the message lists every problem, one per line, after a line naming the file', () => {
    const error = configErrorOf(() => readConfig(MINIMAL_ENV, yamlFile('bogus: 1\nlogLevel: loud\n')));
    expect(error.message).toBe(
      'Invalid configuration (config file /etc/reconciler/config.yaml); fix these and start again:\n' +
        '  logLevel: "loud" is not allowed; use one of fatal, error, warn, info, debug, trace, silent\n' +
        '  bogus: unknown key (allowed: db, logLevel, jira, airflow, sources, runTypes, environments, retry, notifications, watchdog, schedule, metrics, http, lockWaitMs, ha)',
    );
  });
});

describe('readConfig rejects a file it cannot parse', () => {
  it('bad YAML, bad JSON, a list at the top, an unknown extension', () => {
    expect(fileProblems('a: [1\n b: 2\n')).toEqual([
      '/etc/reconciler/config.yaml: not valid YAML: Implicit keys of flow sequence pairs need to be on a single line at line 1, column 5',
    ]);
    expect(fileProblems('{"a": }', '/c.json')).toEqual(['/c.json: not valid JSON: Unexpected token \'}\', "{"a": }" is not valid JSON']);
    expect(fileProblems('- 1\n')).toEqual([
      '/etc/reconciler/config.yaml: the top level must be a mapping of settings (e.g. "jira:", "airflow:")',
    ]);
    expect(fileProblems('a = 1', '/c.toml')).toEqual(['/c.toml: unsupported extension ".toml"; use .yaml, .yml or .json']);
  });

  it('duplicate YAML keys', () => {
    expect(fileProblems('db: a\ndb: b\n')[0]).toMatch(/^\/etc\/reconciler\/config\.yaml: not valid YAML: Map keys must be unique/);
  });
});

describe('readConfig rejects bad environment values, naming the variable', () => {
  it('numbers must be whole numbers', () => {
    expect(problemsOf(() => readConfig({ ...MINIMAL_ENV, METRICS_PORT: '9x', RECONCILE_INTERVAL_SECONDS: '1.5' }, null))).toEqual([
      'METRICS_PORT: "9x" is not a whole number; use digits only, e.g. 30',
      'RECONCILE_INTERVAL_SECONDS: "1.5" is not a whole number; use digits only, e.g. 30',
    ]);
  });

  it('schema failures of env values name the variable, not the file key', () => {
    const env = { ...MINIMAL_ENV, AIRFLOW_API_VERSION: 'v3', LOG_LEVEL: 'loud', JIRA_PROJECTS: 'SCR,ops', METRICS_PORT: '70000', RECONCILE_INTERVAL_SECONDS: '0' };
    expect(problemsOf(() => readConfig(env, null))).toEqual([
      'LOG_LEVEL: "loud" is not allowed; use one of fatal, error, warn, info, debug, trace, silent',
      'JIRA_PROJECTS: "ops" is not a Jira project key such as SCR',
      'AIRFLOW_API_VERSION: "v3" is not allowed; use one of v1, v2',
      'RECONCILE_INTERVAL_SECONDS: 0 is too small; use at least 1',
      'METRICS_PORT: 70000 is too large; use at most 65535',
    ]);
  });

  it('JIRA_PROJECTS with no project in it', () => {
    expect(problemsOf(() => readConfig({ ...MINIMAL_ENV, JIRA_PROJECTS: ' , ' }, null))).toEqual([
      'JIRA_PROJECTS: must list at least 1 item(s)',
    ]);
  });

  it('a missing required setting names both the variable and the file key', () => {
    expect(problemsOf(() => readConfig({ JIRA_PAT: 'pat-secret-value' }, null))).toEqual([
      'jira.baseUrl: required; set JIRA_BASE_URL or jira.baseUrl in the config file (e.g. https://yourcompany.atlassian.net)',
      'jira.projects: required; set JIRA_PROJECTS or jira.projects in the config file (e.g. SCR)',
      'airflow.baseUrl: required; set AIRFLOW_BASE_URL or airflow.baseUrl in the config file (e.g. https://airflow.example.com)',
    ]);
  });

  it('names the file in the heading only when there is one', () => {
    expect(configErrorOf(() => readConfig({ ...MINIMAL_ENV, METRICS_PORT: 'x' }, null)).message).toBe(
      'Invalid configuration (no config file); fix these and start again:\n' +
        '  METRICS_PORT: "x" is not a whole number; use digits only, e.g. 30',
    );
  });
});
