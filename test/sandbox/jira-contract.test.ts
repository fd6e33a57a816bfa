import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJiraSim, type JiraSim } from '../../src/sandbox/jira/server.js';
import { loadSpec, specsMissingReason, validateExchanges, type ContractValidator } from './contract.js';
import { adf, jiraClient, type Json } from './jira/client.js';

const skipReason = specsMissingReason('jira-v3.json');
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('Jira simulator against the real Jira Cloud v3 spec', () => {
  let sim: JiraSim;
  let validator: ContractValidator;

  beforeAll(async () => {
    const loaded = await loadSpec('jira-v3.json');
    if (!loaded) throw new Error('jira-v3.json vanished between the check and the load');
    validator = loaded;
    sim = await startJiraSim({ searchLagMs: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('serves every endpoint the reconciler uses in the shapes the spec describes', async () => {
    const jira = jiraClient(sim);
    const { key, id } = sim.createIssue({ status: 'Ready to Run', source: 'alfabeta', runType: 'DELTA', environment: 'dev', params: { sku: 'A1' } });
    sim.createIssue({ status: 'To Do', source: 'quebec' });
    sim.moveIssue(key, 'To Do');
    sim.moveIssue(key, 'Ready to Run');

    const calls = [
      await jira.get('/rest/api/3/myself'),
      await jira.get('/rest/api/3/serverInfo'),
      await jira.get('/rest/api/3/field'),
      await jira.get('/rest/api/3/field/customfield_source/context'),
      await jira.get('/rest/api/3/field/customfield_source/context/100010/option'),
      await jira.get('/rest/api/3/project/SCR'),
      await jira.get('/rest/api/3/status'),
      await jira.get('/rest/api/3/statuses/search'),
      await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR AND status = "Ready to Run" ORDER BY updated ASC', fields: 'summary,status,customfield_source,customfield_params,updated', maxResults: '1' }),
      await jira.post('/rest/api/3/search/jql', { jql: 'project = SCR', fields: ['*all'], expand: 'changelog', properties: ['reconciler'], reconcileIssues: [Number(id)], maxResults: 1 }),
      await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR' }),
      await jira.get(`/rest/api/3/issue/${key}`, { expand: 'changelog', properties: '*all' }),
      await jira.get(`/rest/api/3/issue/${key}/editmeta`),
      await jira.put(`/rest/api/3/issue/${key}`, { fields: { customfield_run_status: { value: 'running' }, customfield_airflow_run_id: `jira__${key}__1` } }),
      await jira.put(`/rest/api/3/issue/${key}`, { update: { comment: [{ add: { body: adf('Triggered') } }] } }),
      await jira.post(`/rest/api/3/issue/${key}/comment`, { body: adf('Run started') }),
      await jira.get(`/rest/api/3/issue/${key}/comment`, { orderBy: '-created', maxResults: '10' }),
      await jira.get(`/rest/api/3/issue/${key}/changelog`, { startAt: '0', maxResults: '1' }),
      await jira.put(`/rest/api/3/issue/${key}/properties/reconciler`, { request: 1 }),
      await jira.put(`/rest/api/3/issue/${key}/properties/reconciler`, { request: 2 }),
      await jira.get(`/rest/api/3/issue/${key}/properties/reconciler`),
      await jira.get(`/rest/api/3/issue/${key}/properties`),
      await jira.get(`/rest/api/3/issue/${key}/transitions`, { expand: 'transitions.fields' }),
      await jira.post(`/rest/api/3/issue/${key}/transitions`, {
        transition: { id: '21' },
        fields: { customfield_run_status: { value: 'success' }, customfield_run_id: 'RUN-1' },
        update: { comment: [{ add: { body: adf('Done: 4870 items') } }] },
      }),
      await jira.del(`/rest/api/3/issue/${key}/properties/reconciler`),
      await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR AND status = Nope' }),
      await jira.get('/rest/api/3/issue/SCR-999'),
      await jira.post(`/rest/api/3/issue/${key}/comment`, { body: 'plain text' }),
    ];
    expect(calls.map((call) => call.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 204, 204, 201, 200, 200, 201, 200, 200, 200, 200, 204, 204, 400, 404, 400]);
    await jiraClient(sim, 'Basic bm9ib2R5OndoYXRldmVy').get('/rest/api/3/myself');

    const routes = new Set(sim.log.entries.map((entry) => `${entry.method} ${entry.route}`));
    expect(routes.size).toBeGreaterThanOrEqual(19);
    expect(validateExchanges(validator, sim.log.entries)).toEqual([]);
  });

  it('reports a response that breaks the spec', () => {
    const violations = validateExchanges(validator, [
      { method: 'GET', path: '/rest/api/3/search/jql', query: 'jql=project%20%3D%20SCR', requestBody: undefined, status: 200, responseBody: { issues: [], total: 3 }, route: null, at: 0 },
      { method: 'GET', path: '/rest/api/3/nowhere', query: '', requestBody: undefined, status: 200, responseBody: {}, route: null, at: 0 },
    ]);
    expect(violations).toHaveLength(2);
    expect(violations[0]).toContain('total');
    expect(violations[1]).toContain('no operation');
  });

  it('reports a request that breaks the spec, unless a documented relaxation covers it', async () => {
    const exchange = { method: 'POST', path: '/rest/api/3/search/jql', query: '', requestBody: { jql: 'project = SCR', startAt: 0 }, status: 200, responseBody: { issues: [], isLast: true }, route: null, at: 0 };
    const [violation] = validateExchanges(validator, [exchange]);
    expect(violation).toContain('request');
    expect(violation).toContain('startAt');
    const relaxed = await loadSpec('jira-v3.json', [{ operationId: 'searchAndReconsileIssuesUsingJqlPost', in: 'request', keyword: 'additionalProperties', why: 'example only' }]);
    expect(validateExchanges(relaxed!, [exchange])).toEqual([]);
  });
});

/** The shapes recorded from Atlassian's Data Center REST v2 reference (test/sandbox/DATACENTER.md). */
describe('Jira simulator in Data Center mode against the recorded REST v2 subset', () => {
  let sim: JiraSim;
  let validator: ContractValidator;

  beforeAll(async () => {
    const loaded = await loadSpec('jira-datacenter-v2.yaml');
    if (!loaded) throw new Error('test/sandbox/jira/datacenter-v2.yaml is missing');
    validator = loaded;
    sim = await startJiraSim({ deployment: 'datacenter' });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('serves every endpoint the reconciler and doctor use on Data Center in the recorded shapes', async () => {
    const jira = jiraClient(sim, 'Bearer sim-pat');
    const { key } = sim.createIssue({ status: 'Ready to Run', source: 'alfabeta', runType: 'DELTA', environment: 'dev', params: { sku: 'A1' } });
    sim.createIssue({ status: 'To Do', source: 'quebec' });
    sim.moveIssue(key, 'To Do');
    sim.moveIssue(key, 'Ready to Run');
    const fields = ['customfield_source', 'customfield_params', 'customfield_run_status', 'status', 'updated', 'created'];

    const calls = [
      await anonymousGet(sim, '/rest/api/2/serverInfo'),
      await jira.get('/rest/api/2/myself'),
      await jira.get('/rest/api/2/field'),
      await jira.get('/rest/api/2/project/SCR'),
      await jira.get('/rest/api/2/status'),
      await jira.get('/rest/api/2/issue/createmeta/SCR/issuetypes', { startAt: '0', maxResults: '50' }),
      await jira.get('/rest/api/2/issue/createmeta/SCR/issuetypes/10002', { startAt: '0', maxResults: '50' }),
      await jira.get('/rest/api/2/search', { jql: 'project in ("SCR") AND status = "Ready to Run" ORDER BY updated ASC', maxResults: '1', fields: 'status' }),
      await jira.post('/rest/api/2/search', { jql: 'project in ("SCR") ORDER BY updated ASC', fields, expand: ['changelog'], startAt: 0, maxResults: 1 }),
      await jira.post('/rest/api/2/search', { jql: 'project in ("SCR") ORDER BY updated ASC', fields, expand: ['changelog'], startAt: 1, maxResults: 1 }),
      await jira.get(`/rest/api/2/issue/${key}`, { fields: fields.join(','), expand: 'changelog' }),
      await jira.get(`/rest/api/2/issue/${key}/editmeta`),
      await jira.put(`/rest/api/2/issue/${key}`, {
        fields: { customfield_run_status: { value: 'queued' }, customfield_airflow_run_id: `jira__${key}__1` },
        update: { comment: [{ add: { body: '*Airflow run started.* DAG {{scraper\\_alfabeta}}' } }] },
      }),
      await jira.post(`/rest/api/2/issue/${key}/comment`, { body: 'Run started' }),
      await jira.get(`/rest/api/2/issue/${key}/comment`, { startAt: '0', maxResults: '100', orderBy: '-created' }),
      await jira.get(`/rest/api/2/issue/${key}/transitions`, { expand: 'transitions.fields' }),
      await jira.post(`/rest/api/2/issue/${key}/transitions`, {
        transition: { id: '21' },
        fields: { customfield_run_status: { value: 'success' }, customfield_run_id: 'RUN-1' },
        update: { comment: [{ add: { body: 'Done: 4870 items' } }] },
      }),
      await jira.get('/rest/api/2/search', { jql: 'project = SCR AND status = Nope' }),
      await jira.get('/rest/api/2/issue/SCR-999'),
      await jira.post(`/rest/api/2/issue/${key}/comment`, { body: { type: 'doc', version: 1, content: [] } }),
      await jira.put(`/rest/api/2/issue/${key}`, { fields: { customfield_params: { type: 'doc', version: 1, content: [] } } }),
    ];
    expect(calls.map((call) => call.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 204, 201, 200, 200, 204, 400, 404, 400, 400]);
    expect(calls[0]?.body.deploymentType).toBe('DataCenter');
    expect(calls[8]?.body).toMatchObject({ startAt: 0, maxResults: 1, total: 2 });
    expect(calls[9]?.body.issues[0].key).not.toBe(calls[8]?.body.issues[0].key);
    expect(calls[10]?.body.fields.customfield_params).toBe('{\n  "sku": "A1"\n}');
    expect(calls[18]?.body.errorMessages).toEqual(['Issue Does Not Exist']);
    await jiraClient(sim, 'Bearer not-a-pat').get('/rest/api/2/myself');

    const routes = new Set(sim.log.entries.map((entry) => `${entry.method} ${entry.route}`));
    expect(routes.size).toBeGreaterThanOrEqual(16);
    // The one request sent wrong on purpose (an ADF comment body) breaks the recorded shape as well.
    expect(validateExchanges(validator, sim.log.entries)).toEqual([
      `POST /rest/api/2/issue/${key}/comment -> 400 [addComment] request at /requestBody/body: must be string {"type":"string"}`,
    ]);
  });

  it('reports an answer in Cloud shape: token paging, an ADF comment body, an account id', () => {
    const violations = validateExchanges(validator, [
      { method: 'POST', path: '/rest/api/2/search', query: '', requestBody: { jql: 'project = SCR' }, status: 200, responseBody: { issues: [], isLast: true, nextPageToken: 'x' }, route: null, at: 0 },
      { method: 'POST', path: '/rest/api/2/issue/SCR-1/comment', query: '', requestBody: { body: { type: 'doc', version: 1, content: [] } }, status: 201, responseBody: { id: '1', body: 'x', created: '', author: { name: 'a', key: 'a', displayName: 'a', active: true } }, route: null, at: 0 },
      { method: 'GET', path: '/rest/api/2/myself', query: '', requestBody: undefined, status: 200, responseBody: { accountId: '5b10', displayName: 'Bot', active: true }, route: null, at: 0 },
      { method: 'GET', path: '/rest/api/3/myself', query: '', requestBody: undefined, status: 200, responseBody: {}, route: null, at: 0 },
    ]);
    expect(violations).toHaveLength(4);
    expect(violations.some((line) => line.includes('searchUsingPost') && line.includes('response'))).toBe(true);
    expect(violations.some((line) => line.includes('addComment') && line.includes('request'))).toBe(true);
    expect(violations.some((line) => line.includes('getCurrentUser'))).toBe(true);
    expect(violations.some((line) => line.includes('/rest/api/3/myself') && line.includes('no operation'))).toBe(true);
  });
});

/** serverInfo is read without credentials, as doctor does. */
async function anonymousGet(sim: JiraSim, path: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${sim.url}${path}`, { headers: { accept: 'application/json' } });
  return { status: res.status, body: (await res.json()) as Json };
}
