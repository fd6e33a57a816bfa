import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/http/errors.js';
import { PassError, runPass } from '../../src/reconcile/pass.js';
import { CANCELLED, COMPLETED, FAILED, metricValue, passDeps, READY, ticket, type PassHarness } from './fakes.js';

let h: PassHarness;
beforeEach(async () => {
  h = await passDeps();
});
afterEach(() => h.cleanup());

const RUN1 = 'jira__SCR-1__10001';
const pass = () => runPass(h.deps);
const airflowDown = () => new UpstreamError('airflow', 'transient', 'connect ECONNREFUSED 10.0.0.5:8080');

/** A first pass sets the cursor; later a ticket comes in and Airflow goes down before the next pass. */
async function newTicketWhileAirflowDown(): Promise<void> {
  await pass();
  h.clock.advance(60_000);
  h.jira.add(ticket('SCR-1'));
  h.clock.advance(10 * 60_000);
  h.airflow.down = airflowDown();
}

async function passError(): Promise<PassError> {
  const error = await pass().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PassError);
  return error as PassError;
}

describe('one ticket’s trouble', () => {
  it('a Jira 400 on one ticket’s field write does not stop the others, and the pass succeeds', async () => {
    h.jira.add(ticket('SCR-1'), ticket('SCR-2'), ticket('SCR-3'));
    h.jira.failWrite = (operation, key) =>
      operation === 'fields' && key === 'SCR-2'
        ? new UpstreamError('jira', 'bad_request', 'Option id "queued" is not valid for field customfield_run_status', { status: 400 })
        : undefined;

    const summary = await pass();
    expect(summary).toMatchObject({ triggered: 2, errors: 1 });
    expect(summary.tickets.find((t) => t.issue === 'SCR-2')).toMatchObject({ outcome: 'error', detail: expect.stringContaining('customfield_run_status') });
    for (const key of ['SCR-1', 'SCR-3']) expect(h.jira.ticket(key).runStatus).toBe('queued');
    expect(h.airflow.triggers).toHaveLength(3);
    expect(h.store().findRequest('SCR-2', '10001')?.lastProblem).toContain('customfield_run_status');
    expect(await metricValue(h.metrics, 'reconciler_passes_total', { result: 'success' })).toBe(1);

    h.jira.failWrite = null;
    const next = await pass();
    expect(next.errors).toBe(0);
    expect(h.airflow.triggers).toHaveLength(3);
    expect(h.jira.ticket('SCR-2')).toMatchObject({ airflowRunId: 'jira__SCR-2__10001', runStatus: 'queued' });
    expect(h.jira.commentsOn('SCR-2')).toHaveLength(1);
    expect(h.store().findRequest('SCR-2', '10001')).toMatchObject({ jiraPhase: 'started', lastProblem: null });
  });

  it('a transition missing from the workflow records the ticket’s error; the others go on', async () => {
    h.jira.add(ticket('SCR-1'), ticket('SCR-2'));
    await pass();
    h.jira.missingTransitions.add(COMPLETED);
    h.airflow.move(RUN1, 'success');
    h.airflow.move('jira__SCR-2__10001', 'running');

    const summary = await pass();
    expect(summary.errors).toBe(1);
    expect(summary.tickets.find((t) => t.issue === 'SCR-1')?.detail).toContain('no transition to "Completed"');
    expect(h.store().latestForIssue('SCR-1')?.lastProblem).toContain('no transition to "Completed"');
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: READY, runStatus: 'success' });
    expect(h.jira.commentsOn('SCR-1')).toHaveLength(2);
    expect(h.jira.ticket('SCR-2').runStatus).toBe('running');
    expect(await metricValue(h.metrics, 'reconciler_passes_total', { result: 'success' })).toBe(2);

    h.jira.missingTransitions.clear();
    h.clock.advance(30_000);
    const fixed = await pass();
    expect(fixed.errors).toBe(0);
    expect(h.jira.ticket('SCR-1').status).toBe(COMPLETED);
    expect(h.jira.commentsOn('SCR-1')).toHaveLength(2);
    expect(h.store().latestForIssue('SCR-1')?.lastProblem).toBeNull();
  });
});

describe('an upstream that is down', () => {
  it('Airflow down while polling fails the pass with PassError and counts it', async () => {
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.airflow.down = airflowDown();
    const error = await passError();
    expect(error.message).toContain('ECONNREFUSED');
    expect(await metricValue(h.metrics, 'reconciler_passes_total', { result: 'error' })).toBe(1);
    expect(h.store().latestForIssue('SCR-1')?.state).toBe('queued');
  });

  it('Airflow down while triggering fails the pass; the next pass checks the DAG again and keeps the cursor', async () => {
    await newTicketWhileAirflowDown();
    const error = await passError();
    expect(error.summary?.errors).toBe(1);
    expect(await metricValue(h.metrics, 'reconciler_passes_total', { result: 'error' })).toBe(1);

    // Meanwhile someone pauses the DAG: no run may be started on it.
    h.airflow.down = null;
    h.airflow.addDag('scraper_alfabeta', { paused: true });
    h.clock.advance(30_000);
    await pass();
    expect(h.airflow.triggers).toHaveLength(0);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'failed' });
    expect(h.jira.commentsOn('SCR-1')[0]?.text).toContain('is paused');
  });

  it('a ticket whose trigger failed on a down Airflow is triggered once Airflow is back', async () => {
    await newTicketWhileAirflowDown();
    await passError();
    h.airflow.down = null;
    h.clock.advance(30_000);
    expect((await pass()).triggered).toBe(1);
    expect(h.airflow.triggers.map((t) => t.dagRunId)).toEqual([RUN1]);
  });

  it('Jira refusing our credentials fails the pass', async () => {
    h.jira.down = new UpstreamError('jira', 'auth', 'Jira answered 401: check JIRA_USERNAME and JIRA_API_TOKEN', { status: 401 });
    await passError();
    expect(await metricValue(h.metrics, 'reconciler_passes_total', { result: 'error' })).toBe(1);
    expect(h.store().getCursor().passCount).toBe(0);
  });
});

describe('a ticket cancelled while its run is live', () => {
  it('has its DAG run stopped, Run Status cancelled, and is not moved', async () => {
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.airflow.move(RUN1, 'running');
    h.jira.edit('SCR-1', { status: CANCELLED });

    const summary = await pass();
    expect(summary.cancelled).toBe(1);
    expect(h.airflow.stops).toEqual([RUN1]);
    expect(h.airflow.run(RUN1).state).toBe('failed');
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: CANCELLED, runStatus: 'cancelled' });
    expect(h.jira.transitions).toHaveLength(0);
    expect(h.jira.commentsOn('SCR-1')[1]?.text).toContain('because the ticket was cancelled');
    expect(h.store().latestForIssue('SCR-1')).toMatchObject({ state: 'cancelled', jiraPhase: 'finished' });
    expect(await metricValue(h.metrics, 'reconciler_runs_finished_total', { source: 'alfabeta', state: 'cancelled' })).toBe(1);

    const writes = h.jira.writeCount();
    await pass();
    expect(h.jira.writeCount()).toBe(writes);
    expect(h.airflow.stops).toHaveLength(1);
  });
});

describe('a dry run', () => {
  it('writes nowhere and lists the planned actions', async () => {
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.airflow.planResult(RUN1, { kind: 'found', value: { run_id: 'RUN-1', item_count: 3, error: null } });
    h.airflow.move(RUN1, 'success');
    h.jira.add(ticket('SCR-2', { source: 'quebec' }), ticket('SCR-3', { source: 'mars' }));
    // A ticket that fails in a dry run must not have its problem written to the store either.
    h.jira.failWrite = () => new UpstreamError('jira', 'bad_request', 'unexpected write', { status: 400 });

    const writes = h.jira.writeCount();
    const records = h.store().list();
    const cursor = h.store().getCursor();
    const summary = await runPass(h.deps, { dryRun: true });

    expect(h.jira.writeCount()).toBe(writes);
    expect(h.airflow.triggers).toHaveLength(1);
    expect(h.store().list()).toEqual(records);
    expect(h.store().getCursor()).toEqual(cursor);
    expect(summary).toMatchObject({ dryRun: true, triggered: 1, rejected: 1, finished: 1, errors: 0 });
    const planned = summary.planned.map((a) => `${a.kind} ${a.issue}${'to' in a ? ` ${a.to}` : ''}`);
    expect(planned).toEqual(
      expect.arrayContaining(['trigger SCR-2', 'jira-comment SCR-2', 'jira-transition SCR-1 Completed', 'jira-transition SCR-3 Failed - Needs Investigation']),
    );
    expect(summary.planned.find((a) => a.kind === 'trigger')).toMatchObject({ dagId: 'scraper_quebec', dagRunId: 'jira__SCR-2__10001' });
  });

  it('does not write a ticket’s problem to the store', async () => {
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.airflow.move(RUN1, 'success');
    h.airflow.getResult = () => Promise.reject(new UpstreamError('airflow', 'bad_request', 'airflow answered HTTP 400: bad XCom key', { status: 400 }));
    const before = h.store().list();
    const summary = await runPass(h.deps, { dryRun: true });
    expect(summary.errors).toBe(1);
    expect(h.store().list()).toEqual(before);
  });
});

describe('the search cursor', () => {
  it('searches from the previous pass start less the overlap, with a full sweep every N passes', async () => {
    h.cleanup();
    h = await passDeps({ file: { jira: { fullSweepEveryPasses: 3, cursorOverlapMinutes: 5 } } });
    const starts: Date[] = [];
    for (let i = 0; i < 5; i++) {
      starts.push(h.clock.now());
      await pass();
      h.clock.advance(30_000);
    }
    const overlap = 5 * 60_000;
    expect(h.jira.searches.map((s) => s.updatedSince?.toISOString() ?? null)).toEqual([
      null,
      new Date(starts[0]!.getTime() - overlap).toISOString(),
      null,
      new Date(starts[2]!.getTime() - overlap).toISOString(),
      new Date(starts[3]!.getTime() - overlap).toISOString(),
    ]);
    expect(h.store().getCursor()).toEqual({ updatedSince: starts[4], passCount: 5 });
  });

  it('an incremental pass still finds a ticket updated since the cursor, and not an old one', async () => {
    h.jira.add(ticket('SCR-1', { status: 'Open' }));
    await pass();
    h.clock.advance(3600_000);
    h.jira.tickets.set('SCR-9', { ...ticket('SCR-9'), updated: '2024-12-01T00:00:00.000Z' });
    h.jira.edit('SCR-1', { status: READY });
    const summary = await pass();
    expect(summary.search).toBe('incremental');
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-1']);
  });

  it('a pass limited to some issues reads them directly and leaves the cursor', async () => {
    h.jira.add(ticket('SCR-1'), ticket('SCR-2'));
    const summary = await runPass(h.deps, { issueKeys: ['SCR-2'] });
    expect(summary).toMatchObject({ search: 'issues', triggered: 1 });
    expect(h.jira.searches).toHaveLength(0);
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-2']);
    expect(h.store().getCursor().updatedSince).toBeNull();
  });
});
