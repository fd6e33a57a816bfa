import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { goodAirflow, goodFields, goodJira, JIRA, mockAirflow, runDoctor, useSandbox } from './helpers.js';

const box = useSandbox();
const PAT = 'dc-pat-5519';

function dataCenterEnv(): Record<string, string> {
  const env: Record<string, string> = { ...box.env, JIRA_PAT: PAT };
  delete env.JIRA_USERNAME;
  delete env.JIRA_API_TOKEN;
  return env;
}

/** A healthy Jira Data Center: no REST v3, everything read from /rest/api/2 with the bearer token. */
function mockDataCenter(): nock.Scope {
  const world = goodJira();
  const scope = nock(`${JIRA}/rest/api`).matchHeader('authorization', `Bearer ${PAT}`);
  scope.get('/3/myself').reply(404, '<html>Not Found</html>');
  scope.get('/2/myself').reply(200, { name: 'reconciler', key: 'JIRAUSER10100', displayName: 'Reconciler Bot', emailAddress: 'bot@example.com' });
  scope.get('/2/project/SCR').reply(200, { key: 'SCR', name: 'SCR requests' });
  scope.get('/2/field').reply(200, goodFields());
  scope.get('/2/status').reply(200, world.statuses.map((name, index) => ({ id: String(index + 1), name })));
  scope
    .get('/2/search')
    .query({ jql: 'project in ("SCR") AND status = "Ready to Run" ORDER BY updated ASC', maxResults: 1, fields: 'status' })
    .reply(200, { startAt: 0, maxResults: 1, total: 1, issues: [{ id: '10007', key: 'SCR-7', fields: { status: { name: 'Ready to Run' } } }] });
  scope.get('/2/issue/SCR-7/editmeta').reply(200, { fields: Object.fromEntries(world.editable.map((id) => [id, { required: false, name: id }])) });
  scope.get('/2/issue/SCR-7/transitions').query({ expand: 'transitions.fields' }).reply(200, { transitions: world.transitions });
  return scope;
}

describe('doctor on Jira Data Center (JIRA_PAT)', () => {
  it('passes every check reading REST v2, and says the select options were not checked', async () => {
    const jira = mockDataCenter();
    const airflow = mockAirflow(goodAirflow());

    const run = await runDoctor(dataCenterEnv());

    jira.done();
    airflow.done();
    expect(run.code).toBe(0);
    expect(run.out).not.toContain('FAIL');
    expect(run.out).not.toContain(PAT);
    expect(run.check('jira credentials').detail).toContain('Reconciler Bot <bot@example.com> (personal access token, Data Center REST v2)');
    expect(run.check('jira field Run Status').detail).toContain('options not checked');
    expect(run.check('jira transition to Completed').detail).toContain("SCR-7: 'Finish' (id 31)");
  });

  it('fails the credentials when the site answers REST v3: a PAT was given for Jira Cloud', async () => {
    const jira = nock(JIRA).get('/rest/api/3/myself').reply(200, { accountId: '5b10a', displayName: 'Reconciler Bot' });
    const airflow = mockAirflow(goodAirflow());

    const run = await runDoctor(dataCenterEnv());

    jira.done();
    airflow.done();
    expect(run.code).toBe(1);
    const check = run.check('jira credentials');
    expect(check).toMatchObject({ status: 'FAIL' });
    expect(check.detail).toContain('is Jira Cloud');
    expect(check.fix).toContain('JIRA_USERNAME and JIRA_API_TOKEN');
    expect(run.check('jira project SCR').detail).toBe('skipped: needs Jira credentials');
  });
});
