import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, expect } from 'vitest';
import type { Runtime } from '../../src/app.js';
import { doctorCommand } from '../../src/cli/doctor-command.js';
import { fakeClock, type FakeClock } from '../support/fake-clock.js';
import { textSink } from '../support/log-capture.js';
import { useNock } from '../support/nock.js';
import { standIn } from '../support/stand-in.js';

export const JIRA = 'https://jira.example.com';
export const AIRFLOW = 'https://airflow.example.com';
export const NOW = new Date('2025-01-05T12:00:00.000Z');
export const JIRA_TOKEN = 'jira-secret-token-7f3a';
export const AIRFLOW_PASS = 'airflow-secret-pass-91c2';
export const AIRFLOW_TOKEN = 'airflow-secret-token-55d0';
export const SECRETS = [JIRA_TOKEN, AIRFLOW_PASS, AIRFLOW_TOKEN];
export const BASIC = `Basic ${Buffer.from(`bot@example.com:${JIRA_TOKEN}`).toString('base64')}`;

const CF = 'com.atlassian.jira.plugin.system.customfieldtypes:';

export function rawField(id: string, name: string, type: 'select' | 'textarea' | 'textfield' | 'float'): Record<string, unknown> {
  return { id, key: id, name, custom: true, schema: { type: type === 'select' ? 'option' : 'string', custom: `${CF}${type}`, customId: 10001 } };
}

export function goodFields(): Record<string, unknown>[] {
  return [
    { id: 'summary', key: 'summary', name: 'Summary', custom: false, schema: { type: 'string', system: 'summary' } },
    rawField('customfield_source', 'Source', 'select'),
    rawField('customfield_run_type', 'Run Type', 'select'),
    rawField('customfield_params', 'Parameters', 'textarea'),
    rawField('customfield_environment', 'Environment', 'select'),
    rawField('customfield_airflow_run_id', 'Airflow Run ID', 'textfield'),
    rawField('customfield_run_status', 'Run Status', 'select'),
    rawField('customfield_run_id', 'Platform Run ID', 'textfield'),
  ];
}

export function rawTransition(id: string, name: string, to: string, screen: string[] = []): Record<string, unknown> {
  const fields = Object.fromEntries(screen.map((field) => [field, { required: false, name: field, operations: ['set'] }]));
  return { id, name, to: { id: `1${id}`, name: to }, hasScreen: screen.length > 0, fields };
}

export interface JiraWorld {
  /** `/rest/api/3/serverInfo`: what the site says it is. */
  serverInfo: [number, unknown];
  myself: [number, unknown];
  projects: Record<string, number>;
  fields: Record<string, unknown>[];
  options: Record<string, string[]>;
  /** 403 when the account lacks Administer Jira. */
  contextStatus: number;
  statuses: string[];
  sample: string | null;
  editable: string[];
  transitions: Record<string, unknown>[];
  /** Per project, the project permissions `/mypermissions` says the account lacks. */
  withheld: Record<string, string[]>;
}

export function goodJira(): JiraWorld {
  return {
    serverInfo: [200, { baseUrl: JIRA, version: '1001.0.0-SNAPSHOT', deploymentType: 'Cloud', buildNumber: 100290 }],
    myself: [200, { accountId: '5b10a', displayName: 'Reconciler Bot', emailAddress: 'bot@example.com' }],
    projects: { SCR: 200 },
    fields: goodFields(),
    options: {
      customfield_source: ['alfabeta', 'quebec', 'lafa'],
      customfield_run_type: ['FULL_REFRESH', 'DELTA', 'SINGLE_PRODUCT'],
      customfield_environment: ['dev', 'staging', 'prod'],
      customfield_run_status: ['queued', 'running', 'success', 'failed', 'cancelled', 'invalid'],
    },
    contextStatus: 200,
    statuses: ['To Do', 'Ready to Run', 'Completed', 'Failed - Needs Investigation', 'Cancelled'],
    sample: 'SCR-7',
    editable: ['summary', 'customfield_airflow_run_id', 'customfield_run_status', 'customfield_run_id'],
    transitions: [
      rawTransition('31', 'Finish', 'Completed', ['customfield_run_status', 'customfield_run_id', 'comment']),
      rawTransition('41', 'Give up', 'Failed - Needs Investigation'),
    ],
    withheld: {},
  };
}

const PERMISSIONS = ['BROWSE_PROJECTS', 'EDIT_ISSUES', 'TRANSITION_ISSUES', 'ADD_COMMENTS'];

/** `/mypermissions` for a project: each of the four asked for, granted unless withheld. */
export function myPermissions(withheld: readonly string[] = []): Record<string, unknown> {
  const entries = PERMISSIONS.map((key) => [key, { id: '1', key, name: key, type: 'PROJECT', description: '', havePermission: !withheld.includes(key) }]);
  return { permissions: Object.fromEntries(entries) };
}

export function mockPermissions(signedIn: (path: string) => nock.Interceptor, world: JiraWorld): void {
  for (const [key, status] of Object.entries(world.projects)) {
    if (status !== 200) continue;
    signedIn(`/mypermissions`).query({ projectKey: key, permissions: PERMISSIONS.join(',') }).reply(200, myPermissions(world.withheld[key]));
  }
}

const FIELD_IDS = ['customfield_source', 'customfield_run_type', 'customfield_params', 'customfield_environment', 'customfield_airflow_run_id', 'customfield_run_status', 'customfield_run_id'];

/** Only GETs, only the ones doctor should make for this world: `scope.done()` proves each was made. */
export function mockJira(world: JiraWorld, authorization = BASIC): nock.Scope {
  // serverInfo is read without credentials; everything else with them.
  const scope = nock(JIRA);
  answer(scope.get('/rest/api/3/serverInfo').matchHeader('authorization', (value: string | undefined) => value === undefined), world.serverInfo);
  const signedIn = (path: string): nock.Interceptor => scope.get(path).matchHeader('authorization', authorization);
  if (world.serverInfo[0] !== 200) return scope;
  answer(signedIn('/rest/api/3/myself'), world.myself);
  if (world.myself[0] !== 200) return scope;
  for (const [key, status] of Object.entries(world.projects)) {
    signedIn(`/rest/api/3/project/${key}`).reply(status, status === 200 ? { key, name: `${key} requests` } : { errorMessages: [`No project could be found with key '${key}'.`] });
  }
  mockPermissions((path) => signedIn(`/rest/api/3${path}`), world);
  signedIn('/rest/api/3/field').reply(200, world.fields);
  for (const id of FIELD_IDS) {
    const field = world.fields.find((candidate) => candidate.id === id);
    if ((field?.schema as { custom?: string } | undefined)?.custom !== `${CF}select`) continue;
    const contexts = signedIn(`/rest/api/3/field/${id}/context`).query({ startAt: 0, maxResults: 50 });
    if (world.contextStatus !== 200) {
      contexts.reply(world.contextStatus, { errorMessages: ['You are not allowed to perform this action.'] });
      continue;
    }
    contexts.reply(200, { startAt: 0, maxResults: 50, total: 1, isLast: true, values: [{ id: '10100', name: 'Default', isGlobalContext: true, isAnyIssueType: true }] });
    const values = (world.options[id] ?? []).map((value, index) => ({ id: String(index + 1), value, disabled: false }));
    signedIn(`/rest/api/3/field/${id}/context/10100/option`).query({ startAt: 0, maxResults: 100 }).reply(200, { startAt: 0, maxResults: 100, total: values.length, isLast: true, values });
  }
  signedIn('/rest/api/3/status').reply(200, world.statuses.map((name, index) => ({ id: String(index + 1), name })));
  if (Object.values(world.projects).some((status) => status !== 200) || !world.statuses.includes('Ready to Run')) return scope;
  scope
    .get('/rest/api/3/search/jql')
    .query({ jql: 'project in ("SCR") AND status = "Ready to Run" ORDER BY updated ASC', maxResults: 1, fields: 'status' })
    .reply(200, { issues: world.sample ? [{ id: '10007', key: world.sample, fields: { status: { name: 'Ready to Run' } } }] : [], isLast: true });
  if (world.sample === null) return scope;
  signedIn(`/rest/api/3/issue/${world.sample}/editmeta`).reply(200, { fields: Object.fromEntries(world.editable.map((id) => [id, { required: false, name: id }])) });
  signedIn(`/rest/api/3/issue/${world.sample}/transitions`).query({ expand: 'transitions.fields' }).reply(200, { transitions: world.transitions });
  return scope;
}

function answer(interceptor: nock.Interceptor, [status, body]: [number, unknown]): void {
  interceptor.reply(status, body as nock.Body);
}

export interface AirflowWorld {
  apiVersion: 'v1' | 'v2';
  version: [number, unknown] | 'refused';
  dags: Record<string, [number, unknown]>;
}

export function dag(dagId: string, options: { paused?: boolean; active?: boolean } = {}): [number, unknown] {
  return [200, { dag_id: dagId, is_paused: options.paused ?? false, is_active: options.active ?? true, fileloc: `/dags/${dagId}.py` }];
}

export function goodAirflow(): AirflowWorld {
  return {
    apiVersion: 'v1',
    version: [200, { version: '2.10.5', git_version: '.release:abc' }],
    dags: { scraper_alfabeta: dag('scraper_alfabeta'), scraper_quebec: dag('scraper_quebec'), scraper_lafa: dag('scraper_lafa') },
  };
}

export function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:443'), { code: 'ECONNREFUSED' });
}

/** v1 with HTTP Basic: no login request. The DAGs are asked for only when the API answered. */
export function mockAirflow(world: AirflowWorld): nock.Scope {
  const scope = nock(`${AIRFLOW}/api/${world.apiVersion}`);
  if (world.version === 'refused') {
    scope.get('/version').times(2).replyWithError(refused());
    return scope;
  }
  answer(scope.get('/version'), world.version);
  if (world.version[0] !== 200) return scope;
  for (const [dagId, reply] of Object.entries(world.dags)) answer(scope.get(`/dags/${dagId}`), reply);
  return scope;
}

export interface Sandbox {
  env: Record<string, string>;
  dir: string;
  dbPath: string;
  cleanup(): void;
}

export function sandbox(overrides: Record<string, string | undefined> = {}): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-doctor-'));
  const dbPath = join(dir, 'data', 'reconciler.db');
  const env: Record<string, string> = {
    JIRA_BASE_URL: JIRA,
    JIRA_PROJECTS: 'SCR',
    JIRA_USERNAME: 'bot@example.com',
    JIRA_API_TOKEN: JIRA_TOKEN,
    AIRFLOW_BASE_URL: AIRFLOW,
    AIRFLOW_USER: 'reconciler',
    AIRFLOW_PASS,
    RECONCILER_DB: dbPath,
    LOG_LEVEL: 'warn',
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return { env, dir, dbPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * No real network for the file's tests and a fresh sandbox for each test. The answer stands for the
 * current test's sandbox: read it only inside tests and hooks.
 */
export function useSandbox(): Sandbox {
  let current: Sandbox | undefined;
  useNock();
  beforeEach(() => {
    current = sandbox();
  });
  afterEach(() => current?.cleanup());
  return standIn(() => {
    if (!current) throw new Error('no sandbox yet: use it inside a test or a hook that runs after useSandbox\'s beforeEach');
    return current;
  });
}

/** A world built from a healthy one with one thing changed. */
export function edited<World>(world: World, edit: (world: World) => void): World {
  edit(world);
  return world;
}

export interface DoctorRun {
  code: number;
  out: string;
  err: string;
  clock: FakeClock;
  /** The line of one check: status, detail and fix hint. */
  check(name: string): { status: 'PASS' | 'FAIL'; detail: string; fix: string | undefined };
}

/** Runs the command as the CLI would and asserts, for every test, that no secret reached the output. */
export async function runDoctor(env: Record<string, string>, argv: string[] = []): Promise<DoctorRun> {
  const stdout = textSink();
  const stderr = textSink();
  const clock = fakeClock(NOW);
  const runtime: Runtime = { env, clock, stdout: stdout.stream, stderr: stderr.stream };
  const code = await doctorCommand(argv, runtime);
  const out = stdout.text();
  const err = stderr.text();
  for (const secret of SECRETS) {
    expect(out).not.toContain(secret);
    expect(err).not.toContain(secret);
  }
  return { code, out, err, clock, check: (name) => findCheck(out, name) };
}

/** Runs doctor against these mocked upstreams; every mocked request must have been made. */
export async function doctorAgainst(
  jiraWorld: JiraWorld,
  airflowWorld: AirflowWorld,
  env: Record<string, string>,
  authorization?: string,
): Promise<DoctorRun> {
  const jira = mockJira(jiraWorld, authorization);
  const airflow = mockAirflow(airflowWorld);
  const run = await runDoctor(env);
  jira.done();
  airflow.done();
  return run;
}

function findCheck(out: string, name: string): { status: 'PASS' | 'FAIL'; detail: string; fix: string | undefined } {
  const lines = out.split('\n');
  const index = lines.findIndex((line) => new RegExp(`^(PASS|FAIL)  ${escape(name)}  `).test(line));
  const line = lines[index];
  if (line === undefined) throw new Error(`no line for check '${name}' in:\n${out}`);
  const status = line.slice(0, 4) as 'PASS' | 'FAIL';
  const detail = line.slice(6 + name.length).trim();
  const next = lines[index + 1];
  return { status, detail, fix: next?.startsWith('      fix: ') ? next.slice('      fix: '.length) : undefined };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
