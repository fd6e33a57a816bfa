import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/http/errors.js';
import { PassError, runPass } from '../../src/reconcile/pass.js';
import { FAILED, metricValue, passDeps, ticket, type PassHarness } from './fakes.js';

let h: PassHarness;
beforeEach(async () => {
  h = await passDeps();
});
afterEach(() => h.cleanup());

const RUN1 = 'jira__SCR-1__10001';

function recordIntent(): void {
  const base = { source: 'alfabeta', runType: 'DELTA', environment: 'dev', params: '{"limit":100}', airflowDagId: 'scraper_alfabeta' };
  h.store().insert({ ...base, jiraIssueKey: 'SCR-1', requestId: '10001', airflowDagRunId: RUN1, state: 'pending' }, h.clock.now());
}

describe('Airflow answering "not found" while its API itself does not answer', () => {
  it('fails the pass instead of failing the ticket as a missing DAG', async () => {
    h.jira.add(ticket('SCR-1'));
    h.airflow.dags.clear();
    h.airflow.version = () => Promise.reject(new UpstreamError('airflow', 'not_found', 'airflow answered HTTP 404', { status: 404 }));

    await expect(runPass(h.deps)).rejects.toBeInstanceOf(PassError);

    expect(h.jira.ticket('SCR-1').status).not.toBe(FAILED);
    expect(h.jira.comments).toHaveLength(0);
  });

  it('believes a missing DAG once Airflow answers /version', async () => {
    h.jira.add(ticket('SCR-1'));
    h.airflow.dags.clear();

    const summary = await runPass(h.deps);

    expect(summary.rejected).toBe(1);
    expect(h.jira.ticket('SCR-1').status).toBe(FAILED);
  });
});

describe('Airflow refusing a trigger (400/422)', () => {
  it('fails the ticket once, with Airflow\u2019s reason, and starts nothing', async () => {
    h.jira.add(ticket('SCR-1'));
    h.airflow.trigger = () =>
      Promise.reject(new UpstreamError('airflow', 'bad_request', 'airflow answered HTTP 400: Invalid input for param limit', { status: 400 }));

    const summary = await runPass(h.deps);
    await runPass(h.deps);

    expect(summary.rejected).toBe(1);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'failed' });
    expect(h.jira.commentsOn('SCR-1')).toHaveLength(1);
    expect(h.jira.commentsOn('SCR-1')[0]?.text).toContain('Invalid input for param limit');
    expect(await metricValue(h.metrics, 'reconciler_tickets_rejected_total', { reason: 'trigger_refused' })).toBe(1);
  });
});

describe('an interrupted trigger whose ticket has left Ready to Run', () => {
  it('starts nothing when no run was started, and leaves the ticket alone', async () => {
    h.jira.add(ticket('SCR-1', { status: 'To Do' }));
    recordIntent();

    await runPass(h.deps);

    expect(h.airflow.triggers).toHaveLength(0);
    expect(h.store().findRequest('SCR-1', '10001')).toMatchObject({ state: 'cancelled', jiraPhase: 'finished' });
    expect(h.jira.writeCount()).toBe(0);
  });

  it('adopts the run when it did start', async () => {
    h.jira.add(ticket('SCR-1', { status: 'To Do' }));
    recordIntent();
    h.airflow.seedRun('scraper_alfabeta', RUN1, { jira_issue_key: 'SCR-1', source: 'alfabeta', run_type: 'DELTA', params: { limit: 100 }, environment: 'dev' }, 'running');

    await runPass(h.deps);

    expect(h.airflow.triggers).toHaveLength(0);
    expect(h.store().findRequest('SCR-1', '10001')?.state).toBe('running');
  });
});
