import { afterEach, describe, expect, it } from 'vitest';
import { startJiraSim, type JiraSim } from '../../src/sandbox/jira/server.js';
import { loadSpec, specsMissingReason, validateExchanges } from './contract.js';
import { jiraClient } from './jira/client.js';

const skipReason = specsMissingReason('jira-v3.json');
const SELECT = 'com.atlassian.jira.plugin.system.customfieldtypes:select';
const TEXTFIELD = 'com.atlassian.jira.plugin.system.customfieldtypes:textfield';
const SEARCHER = 'com.atlassian.jira.plugin.system.customfieldtypes:multiselectsearcher';

let sim: JiraSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** The administration `setup jira` uses, on a bare site: what a new Jira has, then what setup adds. */
describe.skipIf(skipReason !== null)('Jira simulator admin endpoints against the real Jira Cloud v3 spec', () => {
  it('a bare site has no custom fields and a workflow of Open, In Progress and Done; setup\'s writes change it as Jira would', async () => {
    sim = await startJiraSim({ mode: 'bare' });
    const validator = await loadSpec('jira-v3.json');
    const jira = jiraClient(sim);

    const fields = await jira.get('/rest/api/3/field');
    expect(fields.body.filter((field: { custom: boolean }) => field.custom)).toEqual([]);
    const workflow = await jira.get('/rest/api/3/project/SCR/statuses');
    expect(workflow.body[0].statuses.map((status: { name: string }) => status.name)).toEqual(['Open', 'In Progress', 'Done']);

    const created = await jira.post('/rest/api/3/field', { name: 'Run Status', type: SELECT, searcherKey: SEARCHER });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(id).toMatch(/^customfield_\d+$/);
    const contexts = await jira.get(`/rest/api/3/field/${id}/context`);
    const contextId = contexts.body.values[0].id as string;
    const options = await jira.post(`/rest/api/3/field/${id}/context/${contextId}/option`, { options: [{ value: 'queued' }, { value: 'waiting' }] });
    const screens = await jira.get('/rest/api/3/screens');
    const screenId = screens.body.values[0].id as number;
    const tabs = await jira.get(`/rest/api/3/screens/${screenId}/tabs`);
    const tabId = tabs.body[0].id as number;
    const calls = [
      created,
      contexts,
      options,
      await jira.get(`/rest/api/3/field/${id}/context/${contextId}/option`),
      screens,
      tabs,
      await jira.get(`/rest/api/3/screens/${screenId}/tabs/${tabId}/fields`),
      await jira.post(`/rest/api/3/screens/${screenId}/tabs/${tabId}/fields`, { fieldId: id }),
      await jira.post('/rest/api/3/statuses', { scope: { type: 'GLOBAL' }, statuses: [{ name: 'Ready to Run', statusCategory: 'IN_PROGRESS' }] }),
      await jira.get('/rest/api/3/statuses', { id: '1' }),
      // Refusals: an option twice, a field twice on one tab, a status name taken, a searcher of another type.
      await jira.post(`/rest/api/3/field/${id}/context/${contextId}/option`, { options: [{ value: 'queued' }] }),
      await jira.post(`/rest/api/3/screens/${screenId}/tabs/${tabId}/fields`, { fieldId: id }),
      await jira.post('/rest/api/3/statuses', { scope: { type: 'GLOBAL' }, statuses: [{ name: 'Ready to Run', statusCategory: 'IN_PROGRESS' }] }),
      await jira.post('/rest/api/3/field', { name: 'Airflow Run ID', type: TEXTFIELD, searcherKey: SEARCHER }),
    ];
    expect(calls.map((call) => call.status)).toEqual([201, 200, 200, 200, 200, 200, 200, 200, 200, 200, 400, 400, 400, 400]);
    expect(calls[3]?.body.values.map((option: { value: string }) => option.value)).toEqual(['queued', 'waiting']);
    expect(calls[6]?.body.map((field: { id: string }) => field.id)).not.toContain(id);
    expect(calls[8]?.body[0]).toMatchObject({ name: 'Ready to Run', statusCategory: 'IN_PROGRESS' });
    // A field on the screen can be set by an edit; the new status is known but in no workflow until an admin adds a transition.
    const { key } = sim.createIssue({});
    expect(Object.keys((await jira.get(`/rest/api/3/issue/${key}/editmeta`)).body.fields)).toContain(id);
    expect((await jira.get('/rest/api/3/project/SCR/statuses')).body[0].statuses.map((status: { name: string }) => status.name)).not.toContain('Ready to Run');
    sim.addTransition('Submit', ['Open'], 'Ready to Run');
    expect((await jira.get('/rest/api/3/project/SCR/statuses')).body[0].statuses.map((status: { name: string }) => status.name)).toContain('Ready to Run');

    expect(validateExchanges(validator!, sim.log.entries)).toEqual([]);
  });

  it('refuses a caller without Administer Jira with the status the spec documents for each operation', async () => {
    sim = await startJiraSim({ mode: 'bare', admin: false });
    const validator = await loadSpec('jira-v3.json');
    const jira = jiraClient(sim);
    const calls = [
      await jira.post('/rest/api/3/field', { name: 'Source', type: SELECT, searcherKey: SEARCHER }),
      await jira.get('/rest/api/3/screens'),
      await jira.get('/rest/api/3/screens/1/tabs'),
      await jira.post('/rest/api/3/screens/1/tabs/10000/fields', { fieldId: 'summary' }),
      await jira.post('/rest/api/3/statuses', { scope: { type: 'GLOBAL' }, statuses: [{ name: 'Completed', statusCategory: 'DONE' }] }),
      await jira.get('/rest/api/3/field/customfield_10042/context'),
    ];
    // The spec: 400 for POST /field ("the user does not have permission"), 401 for POST /statuses, 403 for the rest.
    expect(calls.map((call) => call.status)).toEqual([400, 403, 403, 403, 401, 403]);
    expect(calls[0]?.body.errorMessages[0]).toMatch(/administrators have permission/);
    expect(validateExchanges(validator!, sim.log.entries)).toEqual([]);
  });
});

describe('Jira simulator admin endpoints in Data Center mode against the recorded REST v2 subset', () => {
  it('creates a field and puts it on the Default Screen; options and statuses have no REST API', async () => {
    sim = await startJiraSim({ mode: 'bare', deployment: 'datacenter' });
    const validator = await loadSpec('jira-datacenter-v2.yaml');
    const jira = jiraClient(sim, 'Bearer sim-pat');
    const created = await jira.post('/rest/api/2/field', { name: 'Environment', type: SELECT, searcherKey: SEARCHER });
    const id = created.body.id as string;
    const calls = [
      created,
      await jira.get('/rest/api/2/project/SCR/statuses'),
      await jira.get('/rest/api/2/screens/1/tabs'),
      await jira.get('/rest/api/2/screens/1/tabs/10000/fields'),
      await jira.post('/rest/api/2/screens/1/tabs/10000/fields', { fieldId: id }),
    ];
    expect(calls.map((call) => call.status)).toEqual([201, 200, 200, 200, 200]);
    expect(validateExchanges(validator!, sim.log.entries)).toEqual([]);
    // Cloud's options and statuses APIs are not there on Data Center.
    expect((await jira.post(`/rest/api/2/field/${id}/context/1/option`, { options: [{ value: 'dev' }] })).status).toBe(404);
    expect((await jira.post('/rest/api/2/statuses', { scope: { type: 'GLOBAL' }, statuses: [] })).status).toBe(404);
  });

  it('refuses a caller without Jira Administrators with 403', async () => {
    sim = await startJiraSim({ mode: 'bare', deployment: 'datacenter', admin: false });
    const validator = await loadSpec('jira-datacenter-v2.yaml');
    const jira = jiraClient(sim, 'Bearer sim-pat');
    const calls = [await jira.post('/rest/api/2/field', { name: 'Source', type: SELECT, searcherKey: SEARCHER }), await jira.get('/rest/api/2/screens/1/tabs')];
    expect(calls.map((call) => call.status)).toEqual([403, 403]);
    expect(validateExchanges(validator!, sim.log.entries)).toEqual([]);
  });
});
