import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startJiraSim, type JiraSim } from '../../../src/sandbox/jira/server.js';
import { adf, basicAuth, jiraClient, type JiraClient, type Json } from './client.js';

describe('Jira simulator in Data Center mode', () => {
  let sim: JiraSim;
  let jira: JiraClient;
  let key: string;

  beforeEach(async () => {
    sim = await startJiraSim({ deployment: 'datacenter', patUsers: [{ username: 'reconciler', pat: 'pat-1' }] });
    jira = jiraClient(sim, 'Bearer pat-1');
    ({ key } = sim.createIssue({ status: 'To Do', source: 'quebec', runType: 'DELTA', environment: 'dev', params: { since: '2026-01-01' } }));
  });
  afterEach(async () => {
    await sim.close();
  });

  it('signs in with a personal access token only: Basic credentials and unknown tokens get 401', async () => {
    expect((await jira.get('/rest/api/2/myself')).body).toMatchObject({ name: 'reconciler', key: 'reconciler', displayName: 'reconciler' });
    for (const auth of ['Bearer pat-2', basicAuth('bot@example.com', 'sim-token'), '']) {
      const res = await jiraClient(sim, auth).get('/rest/api/2/myself');
      expect(res.status).toBe(401);
      expect(res.body.errorMessages).toEqual(['You are not authenticated. Authentication required to perform this operation.']);
    }
  });

  it('serves REST v2 only: Cloud paths and the paged changelog are not found', async () => {
    for (const path of ['/rest/api/3/myself', `/rest/api/3/issue/${key}`, `/rest/api/2/issue/${key}/changelog`, '/rest/api/2/search/jql']) {
      expect((await jira.get(path)).status, path).toBe(404);
    }
  });

  it('shows Parameters as a plain string and takes only a string for it', async () => {
    const read = await jira.get(`/rest/api/2/issue/${key}`, { fields: 'customfield_params' });
    expect(read.body.fields.customfield_params).toBe('{\n  "since": "2026-01-01"\n}');

    expect((await jira.put(`/rest/api/2/issue/${key}`, { fields: { customfield_params: '{"limit": 5}' } })).status).toBe(204);
    expect((await jira.get(`/rest/api/2/issue/${key}`, { fields: 'customfield_params' })).body.fields.customfield_params).toBe('{"limit": 5}');
    const refused = await jira.put(`/rest/api/2/issue/${key}`, { fields: { customfield_params: adf('{}') } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.customfield_params).toBe('Operation value must be a string');
  });

  it('keeps comments as wiki-markup strings, read back as written; an ADF body is refused', async () => {
    const wiki = '*Airflow run started.* DAG {{scraper\\_quebec}}\n\nFollow it: [Airflow|http://airflow.example.com/dags/scraper_quebec]';
    expect((await jira.post(`/rest/api/2/issue/${key}/comment`, { body: wiki })).status).toBe(201);
    const page = await jira.get(`/rest/api/2/issue/${key}/comment`, { orderBy: '-created' });
    expect(page.body.comments.map((comment: Json) => comment.body)).toEqual([wiki]);
    expect(page.body.comments[0]).not.toHaveProperty('jsdPublic');
    expect(sim.comments(key).map((comment) => comment.text)).toEqual([wiki]);

    const refused = await jira.post(`/rest/api/2/issue/${key}/comment`, { body: adf('Run started') });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.comment).toContain('must be a string');
  });

  it('pages search by startAt with a total, and embeds the whole changelog oldest first', async () => {
    for (let index = 0; index < 4; index++) sim.createIssue({ status: 'Ready to Run', source: 'lafa' });
    for (const status of ['Ready to Run', 'Cancelled', 'Ready to Run']) sim.moveIssue(key, status);
    const jql = 'project = SCR AND status = "Ready to Run" ORDER BY key ASC';

    const first = await jira.post('/rest/api/2/search', { jql, startAt: 0, maxResults: 2, fields: ['status'], expand: ['changelog'] });
    const second = await jira.get('/rest/api/2/search', { jql, startAt: '2', maxResults: '2', fields: 'status', expand: 'changelog' });
    const third = await jira.get('/rest/api/2/search', { jql, startAt: '4', maxResults: '2' });

    expect([first.body.total, second.body.total, third.body.total]).toEqual([5, 5, 5]);
    const keys = [first, second, third].flatMap((page) => page.body.issues.map((issue: Json) => issue.key));
    expect(new Set(keys).size).toBe(5);
    expect(first.body).not.toHaveProperty('nextPageToken');
    const moved = first.body.issues.find((issue: Json) => issue.key === key);
    expect(moved.changelog.total).toBe(3);
    expect(moved.changelog.histories.map((history: Json) => history.items[0].toString)).toEqual(['Ready to Run', 'Cancelled', 'Ready to Run']);
  });

  it('refuses a search body with a key Data Center does not know (Cloud\'s reconcileIssues), and says serverInfo deploymentType DataCenter', async () => {
    const refused = await jira.post('/rest/api/2/search', { jql: 'project = SCR', reconcileIssues: [1] });
    expect(refused.status).toBe(400);
    expect(refused.body.errorMessages[0]).toContain('reconcileIssues');
    const info = await fetch(`${sim.url}/rest/api/2/serverInfo`).then((res) => res.json() as Promise<Json>);
    expect(info).toMatchObject({ deploymentType: 'DataCenter', versionNumbers: [9, 12, 15] });
  });

  it('lists the create screen with select options as allowedValues', async () => {
    const types = await jira.get('/rest/api/2/issue/createmeta/SCR/issuetypes');
    expect(types.body.values.map((type: Json) => type.id)).toEqual(['10002']);
    const screen = await jira.get('/rest/api/2/issue/createmeta/SCR/issuetypes/10002');
    const source = screen.body.values.find((field: Json) => field.fieldId === 'customfield_source');
    expect(source.allowedValues.map((option: Json) => option.value)).toEqual(['alfabeta', 'quebec', 'lafa']);
    expect((await jira.get('/rest/api/2/issue/createmeta/NOPE/issuetypes')).status).toBe(404);
  });
});
