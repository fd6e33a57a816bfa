import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startJiraSim, type JiraSim } from '../../../src/sandbox/jira/server.js';
import { adf, jiraClient, type JiraClient, type Json } from './client.js';

describe('Jira simulator issues', () => {
  let sim: JiraSim;
  let jira: JiraClient;
  let key: string;

  beforeEach(async () => {
    sim = await startJiraSim();
    jira = jiraClient(sim);
    ({ key } = sim.createIssue({ status: 'Ready to Run', source: 'alfabeta', runType: 'DELTA', environment: 'prod', params: { sku: 'A1' } }));
  });
  afterEach(async () => {
    await sim.close();
  });

  it('reads an issue with all fields by default: selects as {self, value, id}, params as ADF', async () => {
    const res = await jira.get(`/rest/api/3/issue/${key}`);
    expect(res.status).toBe(200);
    const { fields } = res.body;
    expect(fields.customfield_source).toEqual({ self: `${sim.url}/rest/api/3/customFieldOption/1000101`, value: 'alfabeta', id: '1000101' });
    expect(fields.customfield_params.type).toBe('doc');
    expect(sim.issue(key).fields.customfield_params).toEqual(fields.customfield_params);
    expect(fields.customfield_run_status).toBeNull();
    expect(fields.status.name).toBe('Ready to Run');
    expect(res.body).not.toHaveProperty('changelog');
  });

  it('reads an issue by id, filters fields, expands the changelog newest first', async () => {
    sim.moveIssue(key, 'To Do');
    sim.moveIssue(key, 'Ready to Run');
    const res = await jira.get(`/rest/api/3/issue/${sim.issue(key).id}`, { fields: 'status', expand: 'changelog' });
    expect(Object.keys(res.body.fields)).toEqual(['status']);
    expect(res.body.changelog.total).toBe(2);
    expect(res.body.changelog.histories.map((history: Json) => history.items[0].toString)).toEqual(['Ready to Run', 'To Do']);
    expect(res.body.changelog.histories[0].author.displayName).toBe('Pat Person');
  });

  it('answers 404 for an unknown issue', async () => {
    const res = await jira.get('/rest/api/3/issue/SCR-404');
    expect(res.status).toBe(404);
    expect(res.body.errorMessages[0]).toContain('does not exist');
  });

  it('edits select and text fields, recording a changelog entry by the bot', async () => {
    const res = await jira.put(`/rest/api/3/issue/${key}`, { fields: { customfield_run_status: { value: 'running' }, customfield_airflow_run_id: 'jira__SCR-1__1' } });
    expect(res.status).toBe(204);
    const issue = sim.issue(key);
    expect(issue.fields.customfield_run_status).toMatchObject({ value: 'running', id: '1000602' });
    expect(issue.fields.customfield_airflow_run_id).toBe('jira__SCR-1__1');
    const [history] = issue.histories;
    expect(history?.author.emailAddress).toBe('bot@example.com');
    expect(history?.items.map((item) => [item.fieldId, item.toString])).toEqual([
      ['customfield_run_status', 'running'],
      ['customfield_airflow_run_id', 'jira__SCR-1__1'],
    ]);
    const byId = await jira.put(`/rest/api/3/issue/${key}`, { update: { customfield_run_status: [{ set: { id: '1000603' } }] } });
    expect(byId.status).toBe(204);
    expect(sim.issue(key).fields.customfield_run_status).toMatchObject({ value: 'success' });
  });

  it('refuses an unknown select option with 400 errors naming the field', async () => {
    const res = await jira.put(`/rest/api/3/issue/${key}`, { fields: { customfield_run_status: { value: 'exploded' } } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ customfield_run_status: "Option value 'exploded' is not valid" });
    const bare = await jira.put(`/rest/api/3/issue/${key}`, { fields: { customfield_run_status: 'running' } });
    expect(bare.status).toBe(400);
    expect(sim.issue(key).fields.customfield_run_status).toBeNull();
  });

  it('refuses a plain string for a multi-line text field (v3 wants ADF)', async () => {
    const res = await jira.put(`/rest/api/3/issue/${key}`, { fields: { customfield_params: '{"sku":"B2"}' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.customfield_params).toContain('Atlassian Document');
    const ok = await jira.put(`/rest/api/3/issue/${key}`, { fields: { customfield_params: adf('{"sku":"B2"}') } });
    expect(ok.status).toBe(204);
  });

  it('refuses an unknown field id and a read-only field', async () => {
    const res = await jira.put(`/rest/api/3/issue/${key}`, { fields: { customfield_nope: 'x', status: { name: 'Completed' } } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({
      customfield_nope: "Field 'customfield_nope' cannot be set. It is not on the appropriate screen, or unknown.",
      status: "Field 'status' cannot be set. It is not on the appropriate screen, or unknown.",
    });
  });

  it('adds a comment through update.comment and returns the issue when asked', async () => {
    const res = await jira.send('PUT', `/rest/api/3/issue/${key}?returnIssue=true`, { body: JSON.stringify({ update: { comment: [{ add: { body: adf('hello') } }] } }) });
    expect(res.status).toBe(200);
    expect(res.body.key).toBe(key);
    expect(sim.comments(key).map((comment) => comment.text)).toEqual(['hello']);
  });

  it('stores, lists, replaces and deletes issue properties', async () => {
    expect((await jira.get(`/rest/api/3/issue/${key}/properties/reconciler`)).status).toBe(404);
    expect((await jira.put(`/rest/api/3/issue/${key}/properties/reconciler`, { attempt: 1 })).status).toBe(201);
    expect((await jira.put(`/rest/api/3/issue/${key}/properties/reconciler`, { attempt: 2 })).status).toBe(200);
    expect((await jira.get(`/rest/api/3/issue/${key}/properties/reconciler`)).body).toEqual({ key: 'reconciler', value: { attempt: 2 } });
    expect((await jira.get(`/rest/api/3/issue/${key}/properties`)).body.keys.map((entry: Json) => entry.key)).toEqual(['reconciler']);
    expect((await jira.get(`/rest/api/3/issue/${key}`, { fields: 'summary', properties: 'reconciler' })).body.properties).toEqual({ reconciler: { attempt: 2 } });
    expect((await jira.del(`/rest/api/3/issue/${key}/properties/reconciler`)).status).toBe(204);
    expect((await jira.del(`/rest/api/3/issue/${key}/properties/reconciler`)).status).toBe(404);
    expect(sim.issue(key).properties).toEqual({});
  });

  it('describes editable fields with allowed values in editmeta', async () => {
    const res = await jira.get(`/rest/api/3/issue/${key}/editmeta`);
    expect(res.body.fields.customfield_environment.allowedValues.map((option: Json) => option.value)).toEqual(['dev', 'staging', 'prod']);
    expect(res.body.fields).not.toHaveProperty('status');
  });

  it('lets a test set fields as a person would', () => {
    sim.setField(key, 'customfield_source', 'quebec');
    sim.setField(key, 'customfield_params', 'not json');
    const issue = sim.issue(key);
    expect(issue.fields.customfield_source).toMatchObject({ value: 'quebec', id: '1000102' });
    expect(issue.fields.customfield_params).toMatchObject({ type: 'doc' });
    expect(issue.histories.at(-1)?.author.displayName).toBe('Pat Person');
    expect(() => sim.moveIssue(key, 'Nowhere')).toThrow(/Unknown status/);
  });
});
