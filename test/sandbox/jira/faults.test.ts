import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startJiraSim, type JiraSim } from '../../../src/sandbox/jira/server.js';
import { jiraClient, type JiraClient } from './client.js';

const SEARCH = '/rest/api/3/search/jql';

describe('Jira simulator fault injection', () => {
  let sim: JiraSim;
  let jira: JiraClient;
  beforeEach(async () => {
    sim = await startJiraSim();
    jira = jiraClient(sim);
    sim.createIssue({ status: 'Ready to Run' });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('answers 429 with Retry-After, then recovers', async () => {
    sim.faults.inject({ fault: { kind: 'status', status: 429, retryAfter: '3' }, path: SEARCH, times: 1 });
    const limited = await jira.get(SEARCH, { jql: 'project = SCR' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.body.errorMessages).toHaveLength(1);
    expect((await jira.get(SEARCH, { jql: 'project = SCR' })).status).toBe(200);
  });

  it('answers 500 and 503 on the matching method only', async () => {
    sim.faults.inject({ fault: { kind: 'status', status: 503 }, method: 'POST', times: 1 });
    sim.faults.inject({ fault: { kind: 'status', status: 500 }, path: '/rest/api/3/issue/', times: 1 });
    expect((await jira.get(SEARCH, { jql: 'project = SCR' })).status).toBe(200);
    expect((await jira.post(SEARCH, { jql: 'project = SCR' })).status).toBe(503);
    expect((await jira.get('/rest/api/3/issue/SCR-1')).status).toBe(500);
    expect((await jira.get('/rest/api/3/issue/SCR-1')).status).toBe(200);
    expect(sim.log.counters()).toMatchObject({ 'GET /rest/api/3/issue/:key': 2, 'POST /rest/api/3/search/jql': 1 });
  });

  it('resets the connection without an answer', async () => {
    sim.faults.inject({ fault: { kind: 'reset' }, times: 1 });
    await expect(jira.get(SEARCH, { jql: 'project = SCR' })).rejects.toThrow();
    expect((await jira.get(SEARCH, { jql: 'project = SCR' })).status).toBe(200);
  });

  it('serves a malformed 200 body', async () => {
    sim.faults.inject({ fault: { kind: 'malformed' }, path: SEARCH, times: 1 });
    const res = await jira.get(SEARCH, { jql: 'project = SCR' });
    expect(res.status).toBe(200);
    expect(typeof res.body).toBe('string');
    expect(() => JSON.parse(res.body)).toThrow();
  });

  it('delays one request with latency while others are answered', async () => {
    sim.faults.inject({ fault: { kind: 'latency', ms: 250 }, path: '/rest/api/3/issue/', times: 1 });
    const finished: string[] = [];
    const slow = jira.get('/rest/api/3/issue/SCR-1').then((res) => finished.push(`issue ${res.status}`));
    await jira.get('/rest/api/3/myself').then((res) => finished.push(`myself ${res.status}`));
    await slow;
    expect(finished).toEqual(['myself 200', 'issue 200']);
  });

  it('refuses connections while paused and serves the same state after resume', async () => {
    await sim.server.pause();
    await expect(jira.get('/rest/api/3/myself')).rejects.toThrow();
    await sim.server.resume();
    expect((await jira.get('/rest/api/3/issue/SCR-1')).body.key).toBe('SCR-1');
  });

  it('logs every exchange with its route', async () => {
    await jira.get(SEARCH, { jql: 'project = SCR' });
    await jira.get(SEARCH, { jql: 'project = NOPE' });
    expect(sim.log.count('GET', '/rest/api/3/search/jql')).toBe(2);
    expect(sim.log.entries.map((entry) => entry.status)).toEqual([200, 400]);
    expect(sim.log.entries[1]?.query).toContain('jql=');
  });
});
