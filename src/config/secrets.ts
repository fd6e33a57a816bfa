import { join } from 'node:path';
import type { AirflowSecrets, Secrets } from './schema.js';
import type { Env } from './env-overlay.js';

export type ReadFile = (path: string) => string;

const SECRET_VARIABLES = {
  jiraUsername: 'JIRA_USERNAME',
  jiraApiToken: 'JIRA_API_TOKEN',
  jiraPat: 'JIRA_PAT',
  airflowToken: 'AIRFLOW_TOKEN',
  airflowUser: 'AIRFLOW_USER',
  airflowPass: 'AIRFLOW_PASS',
  slackWebhookUrl: 'SLACK_WEBHOOK_URL',
  smtpUrl: 'SMTP_URL',
  databaseUrl: 'RECONCILER_DATABASE_URL',
} as const satisfies Record<FlatSecret, string>;

type FlatSecret = Exclude<keyof Secrets, 'airflowByEnv'>;

export interface SecretsResult {
  secrets: Secrets;
  problems: string[];
}

/**
 * Each secret X from the variable X, else the file named by X_FILE, else $CREDENTIALS_DIRECTORY/x
 * (systemd LoadCredential=). Problems name variables and paths, never a value.
 */
export function readSecrets(env: Env, readFile: ReadFile | undefined): SecretsResult {
  const secrets: Secrets = {};
  const problems: string[] = [];
  for (const [field, variable] of Object.entries(SECRET_VARIABLES) as [FlatSecret, string][]) {
    const value = readSecret(variable, env, readFile, problems);
    if (value !== undefined) secrets[field] = value;
  }
  problems.push(...authProblems(secrets));
  return { secrets, problems };
}

/**
 * The credentials of each environment that has its own Airflow: AIRFLOW_<ENV>_TOKEN, or _USER and
 * _PASS, read like every other secret.
 */
export function readEnvironmentSecrets(
  env: Env,
  readFile: ReadFile | undefined,
  environments: readonly string[],
): { airflowByEnv: Record<string, AirflowSecrets>; problems: string[] } {
  const airflowByEnv: Record<string, AirflowSecrets> = {};
  const problems: string[] = [];
  for (const name of environments) {
    const prefix = environmentVariablePrefix(name);
    const found: AirflowSecrets = {};
    const token = readSecret(`${prefix}_TOKEN`, env, readFile, problems);
    const user = readSecret(`${prefix}_USER`, env, readFile, problems);
    const pass = readSecret(`${prefix}_PASS`, env, readFile, problems);
    if (token !== undefined) found.token = token;
    if (user !== undefined) found.user = user;
    if (pass !== undefined) found.pass = pass;
    problems.push(...airflowPairProblems(found.token, found.user, found.pass, prefix));
    airflowByEnv[name] = found;
  }
  return { airflowByEnv, problems };
}

/** `prod` → `AIRFLOW_PROD`, `eu-west` → `AIRFLOW_EU_WEST`: environment variables allow only A-Z, 0-9 and _. */
export function environmentVariablePrefix(environment: string): string {
  return `AIRFLOW_${environment.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Every secret value, for redaction: the flat ones and each environment's. */
export function secretValues(secrets: Secrets): string[] {
  const values: string[] = [];
  for (const [field, value] of Object.entries(secrets)) {
    if (typeof value === 'string') values.push(value, ...urlPasswords(value));
    else if (field === 'airflowByEnv' && value !== undefined) {
      for (const credentials of Object.values(value as Record<string, AirflowSecrets>)) {
        values.push(...Object.values(credentials).filter((v): v is string => typeof v === 'string'));
      }
    }
  }
  return values;
}

/** The password inside a URL secret (the state database's, the SMTP server's): redacted on its own too. */
function urlPasswords(value: string): string[] {
  try {
    const password = decodeURIComponent(new URL(value).password);
    return password === '' ? [] : [password];
  } catch {
    return [];
  }
}

/**
 * One secret on its own, read the same three ways (for a command that needs no other config, such as
 * `state copy`). Problems name the variable and path, never the value.
 */
export function readOneSecret(variable: string, env: Env, readFile: ReadFile | undefined): { value: string | undefined; problems: string[] } {
  const problems: string[] = [];
  const value = readSecret(variable, env, readFile, problems);
  return { value, problems };
}

function readSecret(variable: string, env: Env, readFile: ReadFile | undefined, problems: string[]): string | undefined {
  const direct = env[variable];
  if (direct !== undefined && direct !== '') return direct;

  const fileVariable = `${variable}_FILE`;
  const path = env[fileVariable];
  if (path !== undefined && path !== '') {
    const read = tryRead(readFile, path);
    if ('failed' in read) {
      problems.push(`${fileVariable}: cannot read ${JSON.stringify(path)} (${read.failed}); check the path and that this user may read it`);
      return undefined;
    }
    if (read.text === '') problems.push(`${fileVariable}: ${JSON.stringify(path)} is empty; put the secret in it`);
    return read.text === '' ? undefined : read.text;
  }

  const directory = env['CREDENTIALS_DIRECTORY'];
  if (directory === undefined || directory === '' || readFile === undefined) return undefined;
  const credential = join(directory, variable.toLowerCase());
  const read = tryRead(readFile, credential);
  if (!('failed' in read)) return read.text === '' ? undefined : read.text;
  // A credential systemd was not told to load is simply absent.
  if (read.failed !== 'ENOENT') {
    problems.push(`CREDENTIALS_DIRECTORY: cannot read ${JSON.stringify(credential)} (${read.failed}); check LoadCredential=`);
  }
  return undefined;
}

function tryRead(readFile: ReadFile | undefined, path: string): { text: string } | { failed: string } {
  if (readFile === undefined) return { failed: 'this caller reads no files' };
  try {
    return { text: readFile(path).replace(/[\r\n]+$/, '') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return { failed: typeof code === 'string' ? code : 'unreadable' };
  }
}

function authProblems(secrets: Secrets): string[] {
  const problems: string[] = [];
  const jiraBasic = secrets.jiraUsername !== undefined || secrets.jiraApiToken !== undefined;
  if (secrets.jiraUsername !== undefined && secrets.jiraApiToken === undefined) {
    problems.push(`JIRA_API_TOKEN: missing; JIRA_USERNAME is set, and Jira basic auth needs both ${how('JIRA_API_TOKEN')}`);
  }
  if (secrets.jiraApiToken !== undefined && secrets.jiraUsername === undefined) {
    problems.push(`JIRA_USERNAME: missing; JIRA_API_TOKEN is set, and Jira basic auth needs both ${how('JIRA_USERNAME')}`);
  }
  if (jiraBasic && secrets.jiraPat !== undefined) {
    problems.push('JIRA_PAT: set together with JIRA_USERNAME/JIRA_API_TOKEN; keep only one way to sign in to Jira');
  }
  if (!jiraBasic && secrets.jiraPat === undefined) {
    problems.push(
      'JIRA_USERNAME, JIRA_API_TOKEN, JIRA_PAT: no Jira credentials; set JIRA_USERNAME and JIRA_API_TOKEN (Jira Cloud) ' +
        'or JIRA_PAT (Jira Data Center), each directly, as X_FILE, or as a systemd LoadCredential= named x in lower case',
    );
  }
  problems.push(...airflowPairProblems(secrets.airflowToken, secrets.airflowUser, secrets.airflowPass, 'AIRFLOW'));
  return problems;
}

function airflowPairProblems(token: string | undefined, user: string | undefined, pass: string | undefined, prefix: string): string[] {
  const problems: string[] = [];
  if (user !== undefined && pass === undefined) {
    problems.push(`${prefix}_PASS: missing; ${prefix}_USER is set, and Airflow user auth needs both ${how(`${prefix}_PASS`)}`);
  }
  if (pass !== undefined && user === undefined) {
    problems.push(`${prefix}_USER: missing; ${prefix}_PASS is set, and Airflow user auth needs both ${how(`${prefix}_USER`)}`);
  }
  if (token !== undefined && (user !== undefined || pass !== undefined)) {
    problems.push(`${prefix}_TOKEN: set together with ${prefix}_USER/${prefix}_PASS; keep only one way to sign in to Airflow`);
  }
  return problems;
}

function how(variable: string): string {
  return `(set ${variable}, ${variable}_FILE or a systemd LoadCredential= named ${variable.toLowerCase()})`;
}
