import { afterEach, describe, expect, it } from 'vitest';
import { startJiraSim, type JiraSim, type JiraSimOptions } from '../../../src/sandbox/jira/server.js';
import { adf, jiraClient, type JiraClient, type Json } from './client.js';

describe('Jira simulator transitions', () => {
  let sim: JiraSim;
  let jira: JiraClient;
  afterEach(async () => {
    await sim.close();
  });

  async function start(options: JiraSimOptions = {}, status = 'Ready to Run'): Promise<string> {
    sim = await startJiraSim(options);
    jira = jiraClient(sim);
    return sim.createIssue({ status, source: 'alfabeta' }).key;
  }

  async function transitions(key: string): Promise<Json[]> {
    return (await jira.get(`/rest/api/3/issue/${key}/transitions`, { expand: 'transitions.fields' })).body.transitions;
  }

  it('offers transitions whose names differ from their target statuses, per current status', async () => {
    const key = await start();
    const fromReady = await transitions(key);
    expect(fromReady.map((transition) => [transition.name, transition.to.name])).toEqual([
      ['Mark done', 'Completed'],
      ['Needs investigation', 'Failed - Needs Investigation'],
      ['Cancel', 'Cancelled'],
      ['Start run', 'Running'],
    ]);
    sim.moveIssue(key, 'Running');
    expect((await transitions(key)).map((transition) => transition.to.name)).toEqual(['Completed', 'Failed - Needs Investigation', 'Cancelled']);
    sim.moveIssue(key, 'Completed');
    expect((await transitions(key)).map((transition) => transition.to.name)).toEqual(['Ready to Run', 'To Do']);
    sim.moveIssue(key, 'To Do');
    expect((await transitions(key)).map((transition) => transition.to.name)).toEqual(['Ready to Run', 'Cancelled']);
  });

  it('lists the screen fields, including comment, with expand=transitions.fields', async () => {
    const key = await start();
    const [done] = await transitions(key);
    expect(done.hasScreen).toBe(true);
    expect(Object.keys(done.fields)).toEqual(['customfield_run_status', 'customfield_run_id', 'customfield_airflow_run_id', 'comment']);
    const plain = (await jira.get(`/rest/api/3/issue/${key}/transitions`)).body.transitions[0];
    expect(plain).not.toHaveProperty('fields');
  });

  it('moves with fields and a comment in one changelog entry with increasing ids', async () => {
    const key = await start();
    const res = await jira.post(`/rest/api/3/issue/${key}/transitions`, {
      transition: { id: '21' },
      fields: { customfield_run_status: { value: 'success' }, customfield_run_id: 'RUN-1' },
      update: { comment: [{ add: { body: adf('Finished: 4870 items') } }] },
    });
    expect(res.status).toBe(204);
    const issue = sim.issue(key);
    expect(issue.status).toBe('Completed');
    expect(issue.fields.customfield_run_id).toBe('RUN-1');
    expect(sim.comments(key).map((comment) => comment.text)).toEqual(['Finished: 4870 items']);
    const [history] = issue.histories;
    expect(history?.items[0]).toMatchObject({ field: 'status', fromString: 'Ready to Run', toString: 'Completed', from: '10001', to: '10002' });
    expect(history?.author.emailAddress).toBe('bot@example.com');

    await jira.post(`/rest/api/3/issue/${key}/transitions`, { transition: { id: '11' } });
    const ids = sim.issue(key).histories.map((entry) => Number(entry.id));
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBeGreaterThan(ids[0]!);
  });

  it('refuses a field that is not on the transition screen', async () => {
    const key = await start();
    const res = await jira.post(`/rest/api/3/issue/${key}/transitions`, { transition: { id: '21' }, fields: { summary: 'renamed' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.summary).toBe("Field 'summary' cannot be set. It is not on the appropriate screen, or unknown.");
    expect(sim.issue(key).status).toBe('Ready to Run');
  });

  it("with 'no-fields' screens, refuses every field and silently drops the comment", async () => {
    const key = await start({ transitionScreens: 'no-fields' });
    const [done] = await transitions(key);
    expect(done.hasScreen).toBe(false);
    expect(done.fields).toEqual({});
    const refused = await jira.post(`/rest/api/3/issue/${key}/transitions`, { transition: { id: '21' }, fields: { customfield_run_status: { value: 'success' } } });
    expect(refused.status).toBe(400);
    const moved = await jira.post(`/rest/api/3/issue/${key}/transitions`, { transition: { id: '21' }, update: { comment: [{ add: { body: adf('lost') } }] } });
    expect(moved.status).toBe(204);
    expect(sim.issue(key).status).toBe('Completed');
    expect(sim.comments(key)).toEqual([]);
  });

  it("with 'no-comment' screens, takes the fields and silently drops the comment (204)", async () => {
    const key = await start({ transitionScreens: 'no-comment' });
    const [done] = await transitions(key);
    expect(Object.keys(done.fields)).not.toContain('comment');
    const res = await jira.post(`/rest/api/3/issue/${key}/transitions`, {
      transition: { id: '31' },
      fields: { customfield_run_status: { value: 'failed' } },
      update: { comment: [{ add: { body: adf('never seen') } }] },
    });
    expect(res.status).toBe(204);
    expect(sim.issue(key).status).toBe('Failed - Needs Investigation');
    expect(sim.issue(key).fields.customfield_run_status).toMatchObject({ value: 'failed' });
    expect(sim.comments(key)).toEqual([]);
  });

  it('refuses a transition that is not available from the current status', async () => {
    const key = await start({}, 'To Do');
    const res = await jira.post(`/rest/api/3/issue/${key}/transitions`, { transition: { id: '21' } });
    expect(res.status).toBe(400);
    expect(res.body.errorMessages).toEqual(["Transition id '21' is not valid for this issue."]);
    expect((await jira.post(`/rest/api/3/issue/${key}/transitions`, {})).status).toBe(400);
  });
});
