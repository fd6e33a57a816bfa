import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJiraSim, type JiraSim } from '../../../src/sandbox/jira/server.js';
import { basicAuth, jiraClient, type Json } from './client.js';

describe('Jira simulator auth and metadata', () => {
  let sim: JiraSim;
  beforeAll(async () => {
    sim = await startJiraSim({ users: [{ email: 'ops@example.com', token: 't0ken' }], projects: ['SCR', 'OPS'] });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('answers 401 with errorMessages without credentials or with a wrong token', async () => {
    for (const auth of ['', basicAuth('ops@example.com', 'wrong'), 'Bearer t0ken']) {
      const res = await jiraClient(sim, auth).get('/rest/api/3/myself');
      expect(res.status).toBe(401);
      expect(res.body.errorMessages).toHaveLength(1);
    }
  });

  it('knows the configured user', async () => {
    const res = await jiraClient(sim, basicAuth('ops@example.com', 't0ken')).get('/rest/api/3/myself');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ emailAddress: 'ops@example.com', active: true, accountType: 'atlassian' });
  });

  const jira = (): ReturnType<typeof jiraClient> => jiraClient(sim, basicAuth('ops@example.com', 't0ken'));

  it('serves serverInfo as Cloud', async () => {
    expect((await jira().get('/rest/api/3/serverInfo')).body).toMatchObject({ deploymentType: 'Cloud', baseUrl: sim.url });
  });

  it('lists the custom fields with their schema types', async () => {
    const fields: Json[] = (await jira().get('/rest/api/3/field')).body;
    const byId = Object.fromEntries(fields.map((field) => [field.id, field.schema.custom]));
    expect(byId).toMatchObject({
      customfield_source: 'com.atlassian.jira.plugin.system.customfieldtypes:select',
      customfield_run_type: 'com.atlassian.jira.plugin.system.customfieldtypes:select',
      customfield_environment: 'com.atlassian.jira.plugin.system.customfieldtypes:select',
      customfield_run_status: 'com.atlassian.jira.plugin.system.customfieldtypes:select',
      customfield_params: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea',
      customfield_airflow_run_id: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield',
      customfield_run_id: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield',
    });
  });

  it('lists select options through the field context', async () => {
    const contexts = await jira().get('/rest/api/3/field/customfield_run_status/context');
    const contextId = contexts.body.values[0].id;
    const options = await jira().get(`/rest/api/3/field/customfield_run_status/context/${contextId}/option`);
    expect(options.body.values.map((option: Json) => option.value)).toEqual(['queued', 'running', 'success', 'failed', 'cancelled', 'invalid', 'waiting']);
    expect((await jira().get('/rest/api/3/field/customfield_run_status/context/1/option')).status).toBe(404);
    const textContext = (await jira().get('/rest/api/3/field/customfield_run_id/context')).body.values[0].id;
    expect((await jira().get(`/rest/api/3/field/customfield_run_id/context/${textContext}/option`)).status).toBe(400);
    expect((await jira().get('/rest/api/3/field/customfield_nope/context')).status).toBe(404);
  });

  it('serves configured projects and 404 for others', async () => {
    expect((await jira().get('/rest/api/3/project/OPS')).body).toMatchObject({ key: 'OPS', id: '10001' });
    const missing = await jira().get('/rest/api/3/project/NOPE');
    expect(missing.status).toBe(404);
    expect(missing.body.errorMessages[0]).toContain('NOPE');
  });

  it('lists the workflow statuses with categories', async () => {
    const statuses: Json[] = (await jira().get('/rest/api/3/status')).body;
    expect(statuses.map((status) => [status.name, status.statusCategory.key])).toEqual([
      ['To Do', 'new'],
      ['Ready to Run', 'indeterminate'],
      ['Completed', 'done'],
      ['Failed - Needs Investigation', 'done'],
      ['Cancelled', 'done'],
      ['Running', 'indeterminate'],
      ['Queued for run', 'indeterminate'],
    ]);
    const search = await jira().get('/rest/api/3/statuses/search');
    expect(search.body.values).toHaveLength(7);
  });

  it('answers 404 JSON to an unknown route', async () => {
    const res = await jira().get('/rest/api/3/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.errorMessages[0]).toContain('No route');
  });
});
