import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { MINIMAL_ENV, configErrorOf, filesystem, problemsOf } from './helpers.js';

const { JIRA_PAT: _pat, ...SETTINGS } = MINIMAL_ENV;

describe('secrets', () => {
  it('come from the variable itself', () => {
    const env = { ...SETTINGS, JIRA_USERNAME: 'me@acme.io', JIRA_API_TOKEN: 'jira-token-1', AIRFLOW_TOKEN: 'af-token-1' };
    expect(readConfig(env, null).secrets).toEqual({ jiraUsername: 'me@acme.io', jiraApiToken: 'jira-token-1', airflowToken: 'af-token-1' });
  });

  it('come from the file named by X_FILE, trailing newline trimmed', () => {
    const env = { ...SETTINGS, JIRA_PAT_FILE: '/run/secrets/pat', AIRFLOW_USER: 'svc', AIRFLOW_PASS_FILE: '/run/secrets/af' };
    const read = filesystem({ '/run/secrets/pat': 'pat-from-file\n', '/run/secrets/af': 'pw-from-file\r\n' });
    expect(readConfig(env, null, read).secrets).toEqual({ jiraPat: 'pat-from-file', airflowUser: 'svc', airflowPass: 'pw-from-file' });
  });

  it('come from $CREDENTIALS_DIRECTORY/<name in lower case>; a missing credential there is absent', () => {
    const env = { ...SETTINGS, CREDENTIALS_DIRECTORY: '/run/credentials/reconciler.service' };
    const read = filesystem({ '/run/credentials/reconciler.service/jira_pat': 'pat-from-systemd\n' });
    expect(readConfig(env, null, read).secrets).toEqual({ jiraPat: 'pat-from-systemd' });
  });

  it('take the variable over X_FILE, and X_FILE over $CREDENTIALS_DIRECTORY', () => {
    const read = filesystem({
      '/s/token': 'from-file',
      '/creds/airflow_token': 'from-credentials',
      '/creds/jira_pat': 'pat-from-credentials',
    });
    const base = { ...SETTINGS, CREDENTIALS_DIRECTORY: '/creds' };
    expect(readConfig(base, null, read).secrets.airflowToken).toBe('from-credentials');
    expect(readConfig({ ...base, AIRFLOW_TOKEN_FILE: '/s/token' }, null, read).secrets.airflowToken).toBe('from-file');
    expect(readConfig({ ...base, AIRFLOW_TOKEN_FILE: '/s/token', AIRFLOW_TOKEN: 'from-env' }, null, read).secrets.airflowToken).toBe('from-env');
  });

  it('an X_FILE that cannot be read names the variable and the path', () => {
    const env = { ...SETTINGS, JIRA_PAT_FILE: '/run/secrets/missing' };
    expect(problemsOf(() => readConfig(env, null, filesystem({})))).toContain(
      'JIRA_PAT_FILE: cannot read "/run/secrets/missing" (ENOENT); check the path and that this user may read it',
    );
  });

  it('an empty X_FILE is an error, not an empty secret', () => {
    const env = { ...MINIMAL_ENV, AIRFLOW_TOKEN_FILE: '/s/empty' };
    expect(problemsOf(() => readConfig(env, null, filesystem({ '/s/empty': '\n' })))).toEqual([
      'AIRFLOW_TOKEN_FILE: "/s/empty" is empty; put the secret in it',
    ]);
  });

  it('an unreadable credential (not just absent) is reported', () => {
    const env = { ...MINIMAL_ENV, CREDENTIALS_DIRECTORY: '/creds' };
    const denied = (path: string): string => {
      if (path === '/creds/airflow_token') throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    };
    expect(problemsOf(() => readConfig(env, null, denied))).toEqual([
      'CREDENTIALS_DIRECTORY: cannot read "/creds/airflow_token" (EACCES); check LoadCredential=',
    ]);
  });
});

describe('credential combinations', () => {
  it('Jira needs username and token together', () => {
    expect(problemsOf(() => readConfig({ ...SETTINGS, JIRA_USERNAME: 'me@acme.io' }, null))).toEqual([
      'JIRA_API_TOKEN: missing; JIRA_USERNAME is set, and Jira basic auth needs both ' +
        '(set JIRA_API_TOKEN, JIRA_API_TOKEN_FILE or a systemd LoadCredential= named jira_api_token)',
    ]);
    expect(problemsOf(() => readConfig({ ...SETTINGS, JIRA_API_TOKEN: 'jira-token-1' }, null))).toEqual([
      'JIRA_USERNAME: missing; JIRA_API_TOKEN is set, and Jira basic auth needs both ' +
        '(set JIRA_USERNAME, JIRA_USERNAME_FILE or a systemd LoadCredential= named jira_username)',
    ]);
  });

  it('Jira needs some credentials, and only one kind', () => {
    expect(problemsOf(() => readConfig(SETTINGS, null))).toEqual([
      'JIRA_USERNAME, JIRA_API_TOKEN, JIRA_PAT: no Jira credentials; set JIRA_USERNAME and JIRA_API_TOKEN (Jira Cloud) ' +
        'or JIRA_PAT (Jira Data Center), each directly, as X_FILE, or as a systemd LoadCredential= named x in lower case',
    ]);
    const both = { ...MINIMAL_ENV, JIRA_USERNAME: 'me@acme.io', JIRA_API_TOKEN: 'jira-token-1' };
    expect(problemsOf(() => readConfig(both, null))).toEqual([
      'JIRA_PAT: set together with JIRA_USERNAME/JIRA_API_TOKEN; keep only one way to sign in to Jira',
    ]);
  });

  it('Airflow takes a token, user and password, or nothing', () => {
    expect(readConfig(MINIMAL_ENV, null).secrets).toEqual({ jiraPat: 'pat-secret-value' });
    expect(readConfig({ ...MINIMAL_ENV, AIRFLOW_USER: 'svc', AIRFLOW_PASS: 'pw-123456' }, null).secrets.airflowUser).toBe('svc');
    expect(problemsOf(() => readConfig({ ...MINIMAL_ENV, AIRFLOW_USER: 'svc' }, null))).toEqual([
      'AIRFLOW_PASS: missing; AIRFLOW_USER is set, and Airflow user auth needs both ' +
        '(set AIRFLOW_PASS, AIRFLOW_PASS_FILE or a systemd LoadCredential= named airflow_pass)',
    ]);
    expect(problemsOf(() => readConfig({ ...MINIMAL_ENV, AIRFLOW_PASS: 'pw-123456' }, null))).toEqual([
      'AIRFLOW_USER: missing; AIRFLOW_PASS is set, and Airflow user auth needs both ' +
        '(set AIRFLOW_USER, AIRFLOW_USER_FILE or a systemd LoadCredential= named airflow_user)',
    ]);
    expect(problemsOf(() => readConfig({ ...MINIMAL_ENV, AIRFLOW_TOKEN: 't-123456', AIRFLOW_USER: 'svc', AIRFLOW_PASS: 'pw-123456' }, null))).toEqual([
      'AIRFLOW_TOKEN: set together with AIRFLOW_USER/AIRFLOW_PASS; keep only one way to sign in to Airflow',
    ]);
  });
});

describe('no secret ever appears in an error message', () => {
  const SECRETS = {
    JIRA_USERNAME: 'alice@acme.io',
    JIRA_API_TOKEN: 'ATATT3xFfGF0-jira-token',
    AIRFLOW_USER: 'airflow-svc-user',
    AIRFLOW_PASS: 'correct-horse-battery',
  };

  it('with secrets in the environment and bad values elsewhere', () => {
    const env = {
      ...SETTINGS,
      ...SECRETS,
      JIRA_PAT: 'pat-also-set-0001',
      AIRFLOW_TOKEN: 'airflow-token-0001',
      AIRFLOW_API_VERSION: 'v9',
      METRICS_PORT: 'lots',
      JIRA_BASE_URL: 'https://alice:correct-horse-battery@acme.atlassian.net',
    };
    const file = { path: '/c.yaml', text: 'jira:\n  apiToken: ATATT3xFfGF0-jira-token\nbogus: 1\n' };
    const error = configErrorOf(() => readConfig(env, file));
    expect(error.problems.length).toBeGreaterThanOrEqual(5);
    for (const secret of [...Object.values(SECRETS), 'pat-also-set-0001', 'airflow-token-0001']) {
      expect(error.message).not.toContain(secret);
    }
    expect(error.message).not.toContain('alice');
  });

  it('with a secret from X_FILE and the file unreadable elsewhere', () => {
    const env = { ...SETTINGS, JIRA_PAT_FILE: '/s/pat', AIRFLOW_TOKEN_FILE: '/s/none', LOG_LEVEL: 'chatty' };
    const error = configErrorOf(() => readConfig(env, null, filesystem({ '/s/pat': 'pat-from-a-file-777' })));
    expect(error.problems).toHaveLength(2);
    expect(error.message).not.toContain('pat-from-a-file-777');
  });

  it('masks a secret pasted into the wrong variable', () => {
    const env = { ...MINIMAL_ENV, LOG_LEVEL: 'pat-secret-value' };
    expect(problemsOf(() => readConfig(env, null))).toEqual([
      'LOG_LEVEL: "***" is not allowed; use one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });
});
