import { afterEach, describe, expect, it } from 'vitest';
import { startJiraSim, type JiraSim } from '../../../src/sandbox/jira/server.js';
import { jiraClient, type Json } from './client.js';

describe('Jira simulator search (/rest/api/3/search/jql)', () => {
  let sim: JiraSim;
  afterEach(async () => {
    await sim.close();
  });

  async function seeded(count: number, options: Parameters<typeof startJiraSim>[0] = {}): Promise<JiraSim> {
    sim = await startJiraSim(options);
    for (let index = 0; index < count; index += 1) sim.createIssue({ status: 'Ready to Run', source: 'alfabeta' });
    return sim;
  }

  it('answers 410 Gone on the removed /rest/api/3/search, GET and POST', async () => {
    const jira = jiraClient(await seeded(1));
    const get = await jira.get('/rest/api/3/search', { jql: 'project = SCR' });
    const post = await jira.post('/rest/api/3/search', { jql: 'project = SCR' });
    expect([get.status, post.status]).toEqual([410, 410]);
    expect(get.body.errorMessages[0]).toContain('/rest/api/3/search/jql');
  });

  it('refuses unbounded and unparsable JQL with 400 errorMessages', async () => {
    const jira = jiraClient(await seeded(1));
    const unbounded = await jira.get('/rest/api/3/search/jql', { jql: 'order by key desc' });
    expect(unbounded.status).toBe(400);
    expect(unbounded.body.errorMessages[0]).toContain('Unbounded');
    const broken = await jira.post('/rest/api/3/search/jql', { jql: 'project = SCR AND (status = ' });
    expect(broken.status).toBe(400);
    expect(broken.body.errorMessages[0]).toContain('Expecting');
  });

  it('returns ids only by default, and only the requested fields otherwise', async () => {
    const jira = jiraClient(await seeded(2));
    const bare = await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR ORDER BY key' });
    expect(bare.body.issues).toEqual([{ id: '10001' }, { id: '10002' }]);
    const some = await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR ORDER BY key', fields: 'summary,status' });
    expect(Object.keys(some.body.issues[0].fields).sort()).toEqual(['status', 'summary']);
    expect(some.body.issues[0].key).toBe('SCR-1');
    expect(some.body.issues[0].fields.status.name).toBe('Ready to Run');
    const all = await jira.post('/rest/api/3/search/jql', { jql: 'project = SCR', fields: ['*all', '-comment'] });
    expect(all.body.issues[0].fields).toHaveProperty('customfield_source.value', 'alfabeta');
    expect(all.body.issues[0].fields).not.toHaveProperty('comment');
  });

  it('pages with nextPageToken and isLast, never a total', async () => {
    const jira = jiraClient(await seeded(5));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await jira.post('/rest/api/3/search/jql', { jql: 'project = SCR ORDER BY key ASC', fields: ['summary'], maxResults: 2, ...(token ? { nextPageToken: token } : {}) });
      expect(page.status).toBe(200);
      expect(page.body).not.toHaveProperty('total');
      seen.push(...page.body.issues.map((issue: { key: string }) => issue.key));
      token = page.body.nextPageToken;
      expect(page.body.isLast).toBe(token === undefined);
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(['SCR-1', 'SCR-2', 'SCR-3', 'SCR-4', 'SCR-5']);
  });

  it('refuses a page token used with another query', async () => {
    const jira = jiraClient(await seeded(3));
    const first = await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR', maxResults: '1' });
    const replay = await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR AND status = "To Do"', nextPageToken: first.body.nextPageToken });
    expect(replay.status).toBe(400);
  });

  it('caps pages at 100 when fields are requested and 5000 for ids only', async () => {
    const jira = jiraClient(await seeded(120));
    const withFields = await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR', fields: 'summary', maxResults: '500' });
    expect(withFields.body.issues).toHaveLength(100);
    expect(withFields.body.isLast).toBe(false);
    const idsOnly = await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR', maxResults: '500' });
    expect(idsOnly.body.issues).toHaveLength(120);
  });

  it('expands the changelog and returns requested issue properties', async () => {
    const jira = jiraClient(await seeded(1));
    sim.moveIssue('SCR-1', 'To Do');
    sim.moveIssue('SCR-1', 'Ready to Run');
    await jira.put('/rest/api/3/issue/SCR-1/properties/reconciler', { attempt: 2 });
    const res = await jira.post('/rest/api/3/search/jql', { jql: 'key = SCR-1', fields: ['status'], expand: 'changelog', properties: ['reconciler'] });
    const [issue] = res.body.issues;
    expect(issue.properties).toEqual({ reconciler: { attempt: 2 } });
    expect(issue.changelog.histories.map((history: Json) => history.items[0].toString)).toEqual(['Ready to Run', 'To Do']);
  });

  it('lags behind writes with searchLagMs, except for reconcileIssues', async () => {
    let now = 1_000_000;
    const jira = jiraClient(await seeded(0, { searchLagMs: 5000, now: () => now }));
    const { id } = sim.createIssue({ status: 'Ready to Run' });
    now += 6000;
    expect((await jira.get('/rest/api/3/search/jql', { jql: 'status = "Ready to Run"' })).body.issues).toEqual([{ id }]);

    now += 1000;
    await jira.post('/rest/api/3/issue/SCR-1/transitions', { transition: { id: '41' } });
    const stale = await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR', fields: 'status' });
    expect(stale.body.issues[0].fields.status.name).toBe('Ready to Run');
    const fresh = await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR', fields: 'status', reconcileIssues: id });
    expect(fresh.body.issues[0].fields.status.name).toBe('Cancelled');
    const freshPost = await jira.post('/rest/api/3/search/jql', { jql: 'status = Cancelled', reconcileIssues: [Number(id)] });
    expect(freshPost.body.issues).toEqual([{ id }]);
    // Direct reads are always current.
    expect((await jira.get('/rest/api/3/issue/SCR-1', { fields: 'status' })).body.fields.status.name).toBe('Cancelled');

    now += 5000;
    expect((await jira.get('/rest/api/3/search/jql', { jql: 'status = Cancelled' })).body.issues).toEqual([{ id }]);
  });

  it('hides a just-created issue from a lagging search', async () => {
    let now = 1_000_000;
    const jira = jiraClient(await seeded(0, { searchLagMs: 2000, now: () => now }));
    const { id } = sim.createIssue({ status: 'Ready to Run' });
    expect((await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR' })).body.issues).toEqual([]);
    expect((await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR', reconcileIssues: id })).body.issues).toEqual([{ id }]);
    now += 2000;
    expect((await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR' })).body.issues).toEqual([{ id }]);
  });

  it('refuses more than 50 reconcileIssues and unknown body keys', async () => {
    const jira = jiraClient(await seeded(1));
    const many = await jira.post('/rest/api/3/search/jql', { jql: 'project = SCR', reconcileIssues: Array.from({ length: 51 }, (_, index) => 10001 + index) });
    expect(many.status).toBe(400);
    const legacyPaging = await jira.post('/rest/api/3/search/jql', { jql: 'project = SCR', startAt: 0 });
    expect(legacyPaging.status).toBe(400);
    expect(legacyPaging.body.errorMessages[0]).toContain('startAt');
  });
});
