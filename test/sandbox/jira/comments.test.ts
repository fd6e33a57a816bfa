import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startJiraSim, type JiraSim } from '../../../src/sandbox/jira/server.js';
import { adf, jiraClient, type JiraClient, type Json } from './client.js';

describe('Jira simulator comments and changelog', () => {
  let sim: JiraSim;
  let jira: JiraClient;
  let key: string;

  beforeEach(async () => {
    let now = Date.UTC(2026, 0, 5, 10, 0);
    sim = await startJiraSim({ now: () => (now += 1000) });
    jira = jiraClient(sim);
    ({ key } = sim.createIssue({ status: 'To Do' }));
  });
  afterEach(async () => {
    await sim.close();
  });

  it('refuses a plain string comment body with 400, as v3 does', async () => {
    const res = await jira.post(`/rest/api/3/issue/${key}/comment`, { body: 'plain text' });
    expect(res.status).toBe(400);
    expect(res.body.errors.comment).toContain('Atlassian Document');
    expect(sim.comments(key)).toEqual([]);
  });

  it('stores ADF comments, authored by the caller, and bumps updated', async () => {
    const before = sim.issue(key).updated;
    const res = await jira.post(`/rest/api/3/issue/${key}/comment`, { body: adf('DAG scraper_alfabeta triggered') });
    expect(res.status).toBe(201);
    expect(res.body.author.emailAddress).toBe('bot@example.com');
    expect(res.body.body).toEqual(adf('DAG scraper_alfabeta triggered'));
    expect(res.body.created).toMatch(/^2026-01-05T10:00:\d\d\.000\+0000$/);
    expect(sim.comments(key)[0]?.text).toBe('DAG scraper_alfabeta triggered');
    expect(sim.issue(key).updated).toBeGreaterThan(before);
  });

  it('lists comments with startAt, maxResults and orderBy', async () => {
    for (const text of ['one', 'two', 'three']) await jira.post(`/rest/api/3/issue/${key}/comment`, { body: adf(text) });
    const page = await jira.get(`/rest/api/3/issue/${key}/comment`, { startAt: '1', maxResults: '1' });
    expect(page.body).toMatchObject({ startAt: 1, maxResults: 1, total: 3 });
    expect(page.body.comments.map((comment: Json) => comment.body.content[0].content[0].text)).toEqual(['two']);
    const newest = await jira.get(`/rest/api/3/issue/${key}/comment`, { orderBy: '-created' });
    expect(newest.body.comments.map((comment: Json) => comment.body.content[0].content[0].text)).toEqual(['three', 'two', 'one']);
    expect((await jira.get(`/rest/api/3/issue/${key}/comment`, { orderBy: 'author' })).status).toBe(400);
  });

  it('pages the changelog oldest first with total and isLast', async () => {
    for (const status of ['Ready to Run', 'Completed', 'Ready to Run']) sim.moveIssue(key, status);
    const first = await jira.get(`/rest/api/3/issue/${key}/changelog`, { maxResults: '2' });
    expect(first.body).toMatchObject({ startAt: 0, maxResults: 2, total: 3, isLast: false });
    expect(first.body.values.map((history: Json) => history.items[0].toString)).toEqual(['Ready to Run', 'Completed']);
    const second = await jira.get(`/rest/api/3/issue/${key}/changelog`, { startAt: '2', maxResults: '2' });
    expect(second.body).toMatchObject({ startAt: 2, total: 3, isLast: true });
    expect(second.body.values).toHaveLength(1);
    const ids = [...first.body.values, ...second.body.values].map((history: Json) => Number(history.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
  });
});
