import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { goodAirflow, goodFields, goodJira, JIRA, mockAirflow, mockPermissions, runDoctor, useSandbox, type JiraWorld } from './helpers.js';

const box = useSandbox();
const PAT = 'dc-pat-5519';
const DATACENTER_INFO = { baseUrl: JIRA, version: '9.12.15', versionNumbers: [9, 12, 15], deploymentType: 'DataCenter' };

function dataCenterEnv(): Record<string, string> {
  const env: Record<string, string> = { ...box.env, JIRA_PAT: PAT };
  delete env.JIRA_USERNAME;
  delete env.JIRA_API_TOKEN;
  return env;
}

/** The create screen of SCR's one issue type: select fields with their options as `allowedValues`. */
function createScreen(world: JiraWorld): Record<string, unknown> {
  const values = Object.entries(world.options).map(([fieldId, options]) => ({
    required: false,
    name: fieldId,
    fieldId,
    operations: ['set'],
    allowedValues: options.map((value, index) => ({ self: `${JIRA}/rest/api/2/customFieldOption/${index + 1}`, value, id: String(index + 1) })),
  }));
  return { maxResults: 50, startAt: 0, total: values.length, isLast: true, values };
}

/** A healthy Jira Data Center: no REST v3, everything read from /rest/api/2 with the bearer token. */
function mockDataCenter(world: JiraWorld = goodJira()): nock.Scope {
  nock(`${JIRA}/rest/api/2`).get('/serverInfo').reply(200, DATACENTER_INFO);
  const scope = nock(`${JIRA}/rest/api/2`).matchHeader('authorization', `Bearer ${PAT}`);
  scope.get('/myself').reply(200, { name: 'reconciler', key: 'JIRAUSER10100', displayName: 'Reconciler Bot', emailAddress: 'bot@example.com' });
  scope.get('/project/SCR').reply(200, { key: 'SCR', name: 'SCR requests' });
  mockPermissions((path) => scope.get(path), world);
  scope.get('/field').reply(200, goodFields());
  scope
    .get('/issue/createmeta/SCR/issuetypes')
    .query({ startAt: 0, maxResults: 50 })
    .reply(200, { maxResults: 50, startAt: 0, total: 1, isLast: true, values: [{ id: '10002', name: 'Task', subtask: false }] });
  scope.get('/issue/createmeta/SCR/issuetypes/10002').query({ startAt: 0, maxResults: 50 }).reply(200, createScreen(world));
  scope.get('/status').reply(200, world.statuses.map((name, index) => ({ id: String(index + 1), name })));
  scope
    .get('/search')
    .query({ jql: 'project in ("SCR") AND status = "Ready to Run" ORDER BY updated ASC', maxResults: 1, fields: 'status' })
    .reply(200, { startAt: 0, maxResults: 1, total: 1, issues: [{ id: '10007', key: 'SCR-7', fields: { status: { name: 'Ready to Run' } } }] });
  scope.get('/issue/SCR-7/editmeta').reply(200, { fields: Object.fromEntries(world.editable.map((id) => [id, { required: false, name: id }])) });
  scope.get('/issue/SCR-7/transitions').query({ expand: 'transitions.fields' }).reply(200, { transitions: world.transitions });
  return scope;
}

describe('doctor on Jira Data Center (JIRA_PAT)', () => {
  it('passes every check reading REST v2, the deployment from /serverInfo and the select options from the create screens', async () => {
    const jira = mockDataCenter();
    const airflow = mockAirflow(goodAirflow());

    const run = await runDoctor(dataCenterEnv());

    jira.done();
    airflow.done();
    expect(run.code).toBe(0);
    expect(run.out).not.toContain('FAIL');
    expect(run.out).not.toContain(PAT);
    expect(run.check('jira deployment').detail).toBe('Jira Data Center, REST v2 with JIRA_PAT: /rest/api/2/serverInfo says deploymentType DataCenter, version 9.12.15');
    expect(run.check('jira credentials').detail).toContain('Reconciler Bot <bot@example.com> (personal access token, Data Center REST v2)');
    expect(run.check('jira field Run Status').detail).toContain('with queued, running, success, failed, cancelled, invalid');
    expect(run.check('jira field Environment').detail).toContain('with dev, staging, prod');
    expect(run.check('jira transition to Completed').detail).toContain("SCR-7: 'Finish' (id 31)");
  });

  it('fails a select field whose create screen lacks an option, naming it', async () => {
    const world = goodJira();
    world.options.customfield_run_status = ['queued', 'running', 'success', 'failed', 'cancelled'];
    const jira = mockDataCenter(world);
    const airflow = mockAirflow(goodAirflow());

    const run = await runDoctor(dataCenterEnv());

    jira.done();
    airflow.done();
    expect(run.check('jira field Run Status')).toMatchObject({ status: 'FAIL' });
    expect(run.check('jira field Run Status').detail).toContain('missing option invalid');
  });

  it('fails the deployment when a PAT is given for Jira Cloud, says to set JIRA_USERNAME and JIRA_API_TOKEN, and skips the rest', async () => {
    const jira = nock(JIRA).get('/rest/api/2/serverInfo').reply(200, { baseUrl: JIRA, version: '1001.0.0-SNAPSHOT', deploymentType: 'Cloud' });
    const airflow = mockAirflow(goodAirflow());

    const run = await runDoctor(dataCenterEnv());

    jira.done();
    airflow.done();
    expect(run.code).toBe(1);
    const check = run.check('jira deployment');
    expect(check).toMatchObject({ status: 'FAIL' });
    expect(check.detail).toBe(`${JIRA} is Jira Cloud (/rest/api/2/serverInfo says deploymentType Cloud, version 1001.0.0-SNAPSHOT), but JIRA_PAT is a Jira Data Center credential`);
    expect(check.fix).toContain('set JIRA_USERNAME (the account e-mail) and JIRA_API_TOKEN, and unset JIRA_PAT');
    expect(run.check('jira credentials').detail).toBe('skipped: needs the Jira deployment the credentials are for');
    expect(run.check('jira project SCR').detail).toBe('skipped: needs the Jira deployment the credentials are for');
  });

  it('fails the deployment when Cloud credentials are given for Data Center (no REST v3), and says to set JIRA_PAT', async () => {
    const jira = nock(JIRA).matchHeader('authorization', (value: string | undefined) => value === undefined);
    jira.get('/rest/api/3/serverInfo').reply(404, '<html>Not Found</html>');
    jira.get('/rest/api/2/serverInfo').reply(200, DATACENTER_INFO);
    const airflow = mockAirflow(goodAirflow());

    const run = await runDoctor(box.env);

    jira.done();
    airflow.done();
    const check = run.check('jira deployment');
    expect(check).toMatchObject({ status: 'FAIL' });
    expect(check.detail).toContain('is Jira Data Center or Server (/rest/api/2/serverInfo says deploymentType DataCenter, version 9.12.15), but JIRA_USERNAME and JIRA_API_TOKEN are Jira Cloud credentials');
    expect(check.fix).toContain('set JIRA_PAT to it and unset JIRA_USERNAME and JIRA_API_TOKEN');
  });

  it('fails a base URL that is not Jira at all, pointing at JIRA_BASE_URL', async () => {
    const jira = nock(JIRA).matchHeader('authorization', (value: string | undefined) => value === undefined);
    jira.get('/rest/api/3/serverInfo').reply(404, 'Not Found');
    jira.get('/rest/api/2/serverInfo').reply(404, 'Not Found');
    const airflow = mockAirflow(goodAirflow());

    const run = await runDoctor(box.env);

    jira.done();
    airflow.done();
    expect(run.check('jira deployment').detail).toContain('answers neither /rest/api/3/serverInfo nor /rest/api/2/serverInfo');
    expect(run.check('jira deployment').fix).toContain('check JIRA_BASE_URL');
  });
});
