import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJiraSim, type JiraSim } from '../../../src/sandbox/jira/server.js';
import { jiraClient } from './client.js';

describe('Jira simulator throughput (counts only)', () => {
  let sim: JiraSim;
  beforeAll(async () => {
    sim = await startJiraSim();
    for (let index = 0; index < 50; index += 1) sim.createIssue({ status: index % 2 === 0 ? 'Ready to Run' : 'To Do', source: 'alfabeta' });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('answers 2,000 searches, 20 at a time, all with 200', async () => {
    const jira = jiraClient(sim);
    const statuses: number[] = [];
    const worker = async (): Promise<void> => {
      while (statuses.length < 2000) {
        statuses.push(0);
        const index = statuses.length - 1;
        const res = await jira.get('/rest/api/3/search/jql', { jql: 'project = SCR AND status = "Ready to Run"', fields: 'status,customfield_source' });
        statuses[index] = res.status;
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    expect(statuses).toHaveLength(2000);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(sim.log.count('GET', '/rest/api/3/search/jql')).toBe(2000);
  });
});
