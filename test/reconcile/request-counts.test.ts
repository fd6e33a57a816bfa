import { describe, expect, it } from 'vitest';
import { readyTickets, rig } from '../support/engine-rig.js';

describe('what a lifecycle costs in requests', () => {
  it.each(['v1', 'v2'] as const)(
    '20 tickets from Ready to Completed on Airflow %s: one search, one confirming read, one trigger and one edit each, then the feed, one XCom read and one bundled transition each',
    async (apiVersion) => {
      const r = await rig({ apiVersion });
      const keys = readyTickets(r.jira, 20);

      const first = await r.pass();
      expect(first.jira).toEqual({
        'POST /rest/api/3/search/jql': 2, // the Ready search, then the read-after-write confirmation of 20 new requests
        'PUT /rest/api/3/issue/:key': 20, // Airflow Run ID, Run Status and the started comment, in one edit
      });
      expect(first.airflow[`POST /api/${apiVersion}/dags/:dagId/dagRuns`]).toBe(20);
      expect(first.airflowTotal).toBe(20 + 1 + (apiVersion === 'v2' ? 1 : 0)); // + one DAG check (+ the v2 token)

      r.advance(5_000);
      const second = await r.pass();
      expect(second.jira).toEqual({
        'POST /rest/api/3/search/jql': 1,
        'GET /rest/api/3/issue/:key/transitions': 1, // once for every ticket of the project in Ready to Run
        'POST /rest/api/3/issue/:key/transitions': 20, // fields, comment and the move in one request
      });
      expect(second.airflowTotal).toBe(2 + 20); // started-since and ended-since, then each run's result
      for (const key of keys) {
        const issue = r.jira.issue(key);
        expect(issue.status).toBe('Completed');
        expect(r.jira.comments(key)).toHaveLength(2);
      }

      const total = first.jiraTotal + first.airflowTotal + second.jiraTotal + second.airflowTotal;
      expect(total / 20).toBeLessThanOrEqual(4.6);
    },
  );

  it('a failed run without a screen on its transition: the edit with fields and comment first, the move last', async () => {
    const r = await rig({ screens: 'no-fields' });
    const [key] = readyTickets(r.jira, 1);
    r.airflow.plan({ dagId: 'scraper_alfabeta' }, { state: 'failed', result: { run_id: 'RUN-1', item_count: 0, error: 'portal answered 503' } });
    await r.pass();
    r.advance(5_000);
    const second = await r.pass();
    expect(second.jira).toMatchObject({ 'PUT /rest/api/3/issue/:key': 1, 'POST /rest/api/3/issue/:key/transitions': 1 });
    const writes = r.jira.log.entries.filter((e) => e.method !== 'GET' && !e.path.includes('/search'));
    expect(writes.map((e) => e.method)).toEqual(['PUT', 'POST']);
    expect(r.jira.issue(key ?? '').status).toBe('Failed - Needs Investigation');
    expect(r.jira.comments(key ?? '').at(-1)?.text).toContain('portal answered 503');
  });
});

describe('what a steady pass costs in requests', () => {
  it('with 150 runs in flight on three DAGs and nothing changed: one Jira search and two Airflow lists', async () => {
    const r = await rig();
    readyTickets(r.jira, 50, 'alfabeta');
    readyTickets(r.jira, 50, 'quebec');
    readyTickets(r.jira, 50, 'lafa');
    r.airflow.plan({}, { state: 'success', durationMs: 24 * 3_600_000 });
    await r.pass();
    r.advance(1_500); // every run starts running
    await r.pass();
    r.advance(10 * 60_000);
    // This pass still sees the last pass's own writes (Run Status running) in the search, once.
    await r.pass();
    r.advance(10 * 60_000);
    // The runs were seen running; past the feeds' overlap (5 minutes) nothing changes any more.
    const steady = await r.pass();
    expect(steady.jira).toEqual({ 'POST /rest/api/3/search/jql': 1 });
    expect(steady.airflow).toEqual({ 'POST /api/v1/dags/~/dagRuns/list': 2 });
    expect(steady.jiraTotal + steady.airflowTotal).toBeLessThanOrEqual(1 + 3);
  });
});
