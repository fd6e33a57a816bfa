import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/http/errors.js';
import { PassError, runPass } from '../../src/reconcile/pass.js';
import { COMPLETED, FAILED, metricValue, passDeps, READY, ticket, type PassHarness } from './fakes.js';

let h: PassHarness;
beforeEach(async () => {
  h = await passDeps();
});
afterEach(() => h.cleanup());

const SECOND = 1000;
const RUN1 = 'jira__SCR-1__10001';
const pass = () => runPass(h.deps);

/** The state a crash right after recording the intent to trigger SCR-1 leaves behind. */
function recordIntentOnly(): void {
  h.store().insert(
    {
      jiraIssueKey: 'SCR-1',
      requestId: '10001',
      source: 'alfabeta',
      runType: 'DELTA',
      environment: 'dev',
      params: '{"limit":100}',
      airflowDagId: 'scraper_alfabeta',
      airflowDagRunId: RUN1,
      state: 'pending',
    },
    h.clock.now(),
  );
}

describe('a valid ticket, pass by pass', () => {
  it('is triggered, announced, followed and finished, for each of the three sources', async () => {
    h.jira.add(
      ticket('SCR-1', { source: 'alfabeta' }),
      ticket('SCR-2', { source: 'quebec', runType: 'FULL_REFRESH', environment: 'prod', paramsText: '{}' }),
      ticket('SCR-3', { source: 'lafa', requestId: 'created' }),
    );
    const runs = ['jira__SCR-1__10001', 'jira__SCR-2__10001', 'jira__SCR-3__created'];

    const first = await pass();
    expect(first).toMatchObject({ triggered: 3, errors: 0, inFlight: 3, search: 'full' });
    expect(h.airflow.triggers.map((t) => [t.dagId, t.dagRunId])).toEqual([
      ['scraper_alfabeta', runs[0]],
      ['scraper_quebec', runs[1]],
      ['scraper_lafa', runs[2]],
    ]);
    expect(h.airflow.triggers[1]?.conf).toEqual({
      jira_issue_key: 'SCR-2',
      source: 'quebec',
      run_type: 'FULL_REFRESH',
      params: {},
      environment: 'prod',
    });
    for (const [i, key] of ['SCR-1', 'SCR-2', 'SCR-3'].entries()) {
      expect(h.jira.ticket(key)).toMatchObject({ airflowRunId: runs[i], runStatus: 'queued', status: READY });
      expect(h.jira.commentsOn(key)).toHaveLength(1);
      expect(h.jira.commentsOn(key)[0]?.text).toContain(runs[i]);
    }
    expect(h.store().list().map((r) => [r.jiraIssueKey, r.state, r.jiraPhase])).toEqual([
      ['SCR-3', 'queued', 'started'],
      ['SCR-2', 'queued', 'started'],
      ['SCR-1', 'queued', 'started'],
    ]);
    expect(await metricValue(h.metrics, 'reconciler_dag_runs_triggered_total', { source: 'quebec' })).toBe(1);
    expect(await metricValue(h.metrics, 'reconciler_runs_in_flight', { source: 'lafa' })).toBe(1);

    h.clock.advance(60 * SECOND);
    for (const run of runs) h.airflow.move(run, 'running');
    await pass();
    for (const key of ['SCR-1', 'SCR-2', 'SCR-3']) {
      expect(h.jira.ticket(key).runStatus).toBe('running');
      expect(h.jira.commentsOn(key)).toHaveLength(1);
    }

    h.clock.advance(125 * SECOND);
    for (const [i, run] of runs.entries()) {
      h.airflow.planResult(run, { kind: 'found', value: { run_id: `RUN-${i}`, item_count: 4870 + i, error: null } });
      h.airflow.move(run, 'success');
    }
    const third = await pass();
    expect(third).toMatchObject({ finished: 3, inFlight: 0, errors: 0 });
    for (const [i, key] of ['SCR-1', 'SCR-2', 'SCR-3'].entries()) {
      expect(h.jira.ticket(key)).toMatchObject({ status: COMPLETED, runStatus: 'success', platformRunId: `RUN-${i}`, airflowRunId: runs[i] });
      const comments = h.jira.commentsOn(key);
      expect(comments).toHaveLength(2);
      expect(comments[1]?.text).toContain(`Items: 4,${870 + i}.`);
      expect(comments[1]?.text).toContain('Duration: 2m 5s.');
    }
    expect(h.store().list().every((r) => r.state === 'success' && r.jiraPhase === 'finished')).toBe(true);
    expect(await metricValue(h.metrics, 'reconciler_runs_finished_total', { source: 'lafa', state: 'success' })).toBe(1);
    expect(await metricValue(h.metrics, 'reconciler_runs_in_flight', { source: 'alfabeta' })).toBe(0);

    const writes = h.jira.writeCount();
    h.clock.advance(30 * SECOND);
    const fourth = await pass();
    expect(fourth).toMatchObject({ triggered: 0, finished: 0, errors: 0 });
    expect(h.jira.writeCount()).toBe(writes);
    expect(h.airflow.triggers).toHaveLength(3);
    expect(await metricValue(h.metrics, 'reconciler_passes_total', { result: 'success' })).toBe(4);
  });

  it('a DAG run that fails moves the ticket to Failed with the error text', async () => {
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.airflow.planResult(RUN1, { kind: 'found', value: { run_id: 'RUN-7', item_count: 12, error: 'Timeout scraping page 3' } });
    h.airflow.move(RUN1, 'failed');
    const summary = await pass();
    expect(summary.finished).toBe(1);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'failed', platformRunId: 'RUN-7' });
    expect(h.jira.commentsOn('SCR-1')[1]?.text).toContain('Error: Timeout scraping page 3');
    expect(h.store().latestForIssue('SCR-1')).toMatchObject({ state: 'failed', error: 'Timeout scraping page 3' });
    expect(await metricValue(h.metrics, 'reconciler_runs_finished_total', { source: 'alfabeta', state: 'failed' })).toBe(1);
  });

  it('a run that succeeds but reports an error in its result is a failure', async () => {
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.airflow.planResult(RUN1, { kind: 'found', value: { run_id: 'RUN-7', item_count: 0, error: 'login refused' } });
    h.airflow.move(RUN1, 'success');
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'failed' });
  });

  it.each([
    ['missing', { kind: 'missing', reason: 'no XCom return_value for task run_pipeline' } as const, 'The run left no result'],
    ['malformed', { kind: 'found', value: 'done' } as const, 'The result of run_pipeline was malformed'],
  ])('a %s result still finishes the ticket, and the comment says so', async (_what, result, says) => {
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.airflow.planResult(RUN1, result);
    h.airflow.move(RUN1, 'success');
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: COMPLETED, runStatus: 'success', platformRunId: null });
    expect(h.jira.commentsOn('SCR-1')[1]?.text).toContain(says);
    expect(h.store().latestForIssue('SCR-1')?.state).toBe('success');
  });
  it('a DAG run deleted in Airflow fails the ticket with a comment saying it is gone, at the next full resync', async () => {
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.airflow.runs.clear();
    // The change feed shows runs that started or ended: a deleted one shows only to the full resync.
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: READY, runStatus: 'queued' });
    await runPass(h.deps, { fullSweep: true });
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'failed' });
    expect(h.jira.commentsOn('SCR-1')[1]?.text).toContain('no longer exists in Airflow');
    expect(h.store().latestForIssue('SCR-1')).toMatchObject({ state: 'failed', jiraPhase: 'finished' });
  });

  it('a Jira outage in the middle of the final write is finished next pass with a single outcome comment', async () => {
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.airflow.planResult(RUN1, { kind: 'found', value: { run_id: 'RUN-1', item_count: 3, error: null } });
    h.airflow.move(RUN1, 'success');
    h.jira.failWrite = (operation) => (operation === 'transition' ? new UpstreamError('jira', 'transient', 'Jira answered 503', { status: 503 }) : undefined);
    await expect(pass()).rejects.toBeInstanceOf(PassError);
    expect(h.store().latestForIssue('SCR-1')).toMatchObject({ state: 'success', jiraPhase: 'started' });

    h.jira.failWrite = null;
    h.clock.advance(30 * SECOND);
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: COMPLETED, runStatus: 'success', platformRunId: 'RUN-1' });
    expect(h.jira.commentsOn('SCR-1')).toHaveLength(2);
    expect(h.store().latestForIssue('SCR-1')?.jiraPhase).toBe('finished');
    expect(await metricValue(h.metrics, 'reconciler_runs_finished_total', { source: 'alfabeta', state: 'success' })).toBe(1);
  });
});

describe('exactly one DAG run per request', () => {
  it('a ticket moved back to Ready after it completed is a re-run with a new run id', async () => {
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.airflow.move(RUN1, 'success');
    await pass();
    expect(h.jira.ticket('SCR-1').status).toBe(COMPLETED);

    h.clock.advance(3600 * SECOND);
    h.jira.rerun('SCR-1', '10050');
    const summary = await pass();
    expect(summary.triggered).toBe(1);
    expect(h.airflow.triggers.map((t) => t.dagRunId)).toEqual([RUN1, 'jira__SCR-1__10050']);
    expect(h.store().latestForIssue('SCR-1')).toMatchObject({ requestId: '10050', attempt: 2, state: 'queued' });
    expect(h.jira.ticket('SCR-1')).toMatchObject({ airflowRunId: 'jira__SCR-1__10050', runStatus: 'queued' });
    expect(h.jira.commentsOn('SCR-1')).toHaveLength(3);
  });

  it('a stale search that still shows a completed ticket in Ready starts nothing and writes nothing', async () => {
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.jira.freezeSearch();
    h.airflow.move(RUN1, 'success');
    await pass();
    expect(h.jira.ticket('SCR-1').status).toBe(COMPLETED);

    const writes = h.jira.writeCount();
    for (let i = 0; i < 3; i++) {
      h.clock.advance(30 * SECOND);
      const summary = await pass();
      expect(summary.ticketsSeen).toBe(1);
    }
    expect(h.airflow.triggers).toHaveLength(1);
    expect(h.airflow.duplicateTriggers).toHaveLength(0);
    expect(h.jira.writeCount()).toBe(writes);
  });

  it('a new request seen only in a stale search is not triggered when the direct read says otherwise', async () => {
    h.jira.add(ticket('SCR-2'));
    h.jira.freezeSearch();
    h.jira.edit('SCR-2', { status: 'Cancelled' });
    const summary = await pass();
    expect(summary.ticketsSeen).toBe(1);
    expect(h.airflow.triggers).toHaveLength(0);
    expect(h.store().list()).toHaveLength(0);
    expect(h.jira.writeCount()).toBe(0);
  });

  it.each(['delete', 'empty'] as const)('after the state file is lost (%s), the existing DAG run is adopted: no second run, no second comment', async (how) => {
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.airflow.move(RUN1, 'running');
    await h.loseStateFile(how);
    expect(h.store().list()).toHaveLength(0);

    const summary = await pass();
    expect(summary).toMatchObject({ adopted: 1, triggered: 0, errors: 0 });
    expect(h.airflow.triggers).toHaveLength(1);
    expect(h.airflow.duplicateTriggers).toEqual([RUN1]);
    expect(h.jira.commentsOn('SCR-1')).toHaveLength(1);
    expect(h.store().latestForIssue('SCR-1')).toMatchObject({ airflowDagRunId: RUN1, state: 'running', jiraPhase: 'started' });

    h.airflow.planResult(RUN1, { kind: 'found', value: { run_id: 'RUN-1', item_count: 3, error: null } });
    h.airflow.move(RUN1, 'success');
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: COMPLETED, runStatus: 'success' });
    expect(h.jira.commentsOn('SCR-1')).toHaveLength(2);
  });

  it('a crash between recording the intent and the trigger: the next pass triggers again, gets 409 and adopts', async () => {
    h.jira.add(ticket('SCR-1'));
    const conf = { jira_issue_key: 'SCR-1', source: 'alfabeta', run_type: 'DELTA', params: { limit: 100 }, environment: 'dev' };
    recordIntentOnly();
    h.airflow.seedRun('scraper_alfabeta', RUN1, conf, 'running');

    const summary = await pass();
    expect(summary.adopted).toBe(1);
    expect(h.airflow.triggers).toHaveLength(0);
    expect(h.airflow.duplicateTriggers).toEqual([RUN1]);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ airflowRunId: RUN1, runStatus: 'running' });
    expect(h.jira.commentsOn('SCR-1')).toHaveLength(1);
    expect(h.store().latestForIssue('SCR-1')).toMatchObject({ state: 'running', jiraPhase: 'started' });
  });

  it('a crash before the trigger reached Airflow: the next pass triggers it once', async () => {
    h.jira.add(ticket('SCR-1'));
    recordIntentOnly();
    expect((await pass()).triggered).toBe(1);
    expect(h.airflow.triggers.map((t) => t.dagRunId)).toEqual([RUN1]);
    await pass();
    expect(h.airflow.triggers).toHaveLength(1);
  });

  it('a re-run requested while the old run is in flight: the old run is followed, but only the new one writes to the ticket', async () => {
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.jira.edit('SCR-1', { status: 'In Progress' });
    h.jira.rerun('SCR-1', '10050');
    h.airflow.move(RUN1, 'running');

    const summary = await pass();
    expect(summary.triggered).toBe(1);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ airflowRunId: 'jira__SCR-1__10050', runStatus: 'queued' });
    expect(h.store().findRequest('SCR-1', '10001')?.state).toBe('running');

    h.airflow.move(RUN1, 'success');
    const comments = h.jira.commentsOn('SCR-1').length;
    await pass();
    expect(h.store().findRequest('SCR-1', '10001')).toMatchObject({ state: 'success', jiraPhase: 'finished' });
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: READY, airflowRunId: 'jira__SCR-1__10050', runStatus: 'queued' });
    expect(h.jira.commentsOn('SCR-1')).toHaveLength(comments);
    expect(h.jira.transitions).toHaveLength(0);
  });
});
