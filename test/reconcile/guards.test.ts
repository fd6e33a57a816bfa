import { afterEach, describe, expect, it } from 'vitest';
import { runPass } from '../../src/reconcile/pass.js';
import { COMPLETED, FAILED, metricValue, passDeps, READY, START, ticket, type PassHarness } from './fakes.js';

const RUN1 = 'jira__SCR-1__10001';
let h: PassHarness;
afterEach(() => h.cleanup());
const pass = () => runPass(h.deps);

describe('a running status (jira.statuses.running)', () => {
  it('moves the triggered ticket there with its fields and comment, and on to Completed from there', async () => {
    h = await passDeps({ file: { jira: { statuses: { running: 'Running' } } } });
    h.jira.add(ticket('SCR-1'));
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: 'Running', airflowRunId: RUN1, runStatus: 'queued' });
    expect(h.jira.commentsOn('SCR-1').map((c) => c.marker)).toEqual([`started:${RUN1}`]);
    expect(h.jira.transitions).toEqual([{ key: 'SCR-1', to: 'Running' }]);

    h.airflow.planResult(RUN1, { kind: 'found', value: { run_id: 'RUN-1', item_count: 3, error: null } });
    h.airflow.move(RUN1, 'success');
    h.clock.advance(10_000);
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: COMPLETED, runStatus: 'success' });
  });

  it('a ticket cancelled from the running status has its run stopped', async () => {
    h = await passDeps({ file: { jira: { statuses: { running: 'Running' } } } });
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.clock.advance(10_000);
    h.jira.edit('SCR-1', { status: 'Cancelled' });
    await pass();
    expect(h.airflow.stops).toEqual([RUN1]);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: 'Cancelled', runStatus: 'cancelled' });
  });
});

describe('approval for an environment (environments.<env>.approvalLabel)', () => {
  it('rejects a prod ticket without the label like bad input, and runs it once the label is added and it is moved back', async () => {
    h = await passDeps({ file: { environments: { dev: {}, staging: {}, prod: { approvalLabel: 'prod-approved' } } } });
    h.jira.add(ticket('SCR-1', { environment: 'prod' }), ticket('SCR-2', { environment: 'dev' }));
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'invalid' });
    expect(h.jira.commentsOn('SCR-1')[0]?.text).toContain('prod-approved');
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-2']);
    expect(await metricValue(h.metrics, 'reconciler_tickets_rejected_total', { reason: 'approval_missing' })).toBe(1);

    h.clock.advance(60_000);
    h.jira.edit('SCR-1', { labels: ['prod-approved'] });
    h.jira.rerun('SCR-1', '10077');
    await pass();
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-2', 'SCR-1']);
  });
});

describe('suspend: the hold label and suspended sources', () => {
  it('a held ticket is left alone: nothing triggered, nothing written, and it resumes when the label goes', async () => {
    h = await passDeps();
    h.jira.add(ticket('SCR-1', { labels: ['reconciler-hold'] }));
    const summary = await pass();
    expect(summary.held).toBe(1);
    expect(h.airflow.triggers).toEqual([]);
    expect(h.jira.writeCount()).toBe(0);

    h.clock.advance(60_000);
    h.jira.edit('SCR-1', { labels: [] });
    await pass();
    expect(h.airflow.triggers).toHaveLength(1);
  });

  it('a run whose ticket is held is followed again when the hold ends, even if it ended meanwhile', async () => {
    h = await passDeps();
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.clock.advance(10_000);
    h.jira.edit('SCR-1', { labels: ['reconciler-hold'] });
    h.airflow.planResult(RUN1, { kind: 'found', value: { run_id: 'RUN-1', item_count: 3, error: null } });
    h.airflow.move(RUN1, 'success');
    const writes = h.jira.writeCount();
    await pass();
    expect(h.jira.writeCount()).toBe(writes);
    expect(h.store().latestForIssue('SCR-1')?.lastProblem).toContain('held');

    // Past the change feed's overlap: only the ticket's own change shows the run must be read again.
    h.clock.advance(30 * 60_000);
    await pass();
    h.clock.advance(30 * 60_000);
    h.jira.edit('SCR-1', { labels: [] });
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: COMPLETED, runStatus: 'success' });
  });

  it('a suspended source triggers nothing', async () => {
    h = await passDeps({ file: { sources: { alfabeta: { suspended: true }, quebec: {}, lafa: {} } } });
    h.jira.add(ticket('SCR-1'), ticket('SCR-2', { source: 'quebec' }));
    const summary = await pass();
    expect(summary.held).toBe(1);
    expect(h.airflow.triggers.map((t) => t.conf.source)).toEqual(['quebec']);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: READY, runStatus: null });
  });
});

describe('the stuck-run watchdog', () => {
  it('comments once on a run queued too long, naming a paused DAG, and once more if it then runs too long', async () => {
    h = await passDeps({ file: { watchdog: { queuedMinutes: 30, runningMinutes: 120 } } });
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.airflow.addDag('scraper_alfabeta', { paused: true });
    h.clock.advance(31 * 60_000);
    await runPass(h.deps, { fullSweep: true });
    await runPass(h.deps, { fullSweep: true });
    const stuck = () => h.jira.commentsOn('SCR-1').filter((c) => c.marker.startsWith('stuck:'));
    expect(stuck()).toHaveLength(1);
    expect(stuck()[0]?.text).toContain('queued for 31 minutes');
    expect(stuck()[0]?.text).toContain('paused');
    expect(await metricValue(h.metrics, 'reconciler_runs_stuck', { source: 'alfabeta' })).toBe(1);

    h.airflow.move(RUN1, 'running');
    await pass();
    h.clock.advance(121 * 60_000);
    await runPass(h.deps, { fullSweep: true });
    await runPass(h.deps, { fullSweep: true });
    expect(stuck()).toHaveLength(2);
    expect(stuck()[1]?.text).toContain('running for');
  });
});

describe('in-flight caps (maxInFlight per environment and per source)', () => {
  /** SCR-1's run succeeds and one pass finishes it; its slot is free from the next pass, which is run too. */
  const freeFirstSlot = async (): Promise<void> => {
    h.airflow.planResult(RUN1, { kind: 'found', value: { run_id: 'RUN-1', item_count: 3, error: null } });
    h.airflow.move(RUN1, 'success');
    h.clock.advance(10_000);
    await pass();
    await pass();
  };

  it('a request over the cap waits with Run Status waiting and one comment, and starts first come, first served as slots free', async () => {
    h = await passDeps({ file: { environments: { dev: { maxInFlight: 1 }, staging: {}, prod: {} } } });
    h.jira.add(ticket('SCR-1'), ticket('SCR-2', { requestId: '10002' }), ticket('SCR-3', { requestId: '10003' }));
    const first = await pass();
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-1']);
    expect(first.waiting).toBe(2);
    expect(h.jira.ticket('SCR-2')).toMatchObject({ status: READY, runStatus: 'waiting' });
    expect(h.store().list({ states: ['waiting'] }).map((r) => r.jiraIssueKey).sort()).toEqual(['SCR-2', 'SCR-3']);

    await pass();
    expect(h.jira.commentsOn('SCR-2').filter((c) => c.marker.startsWith('waiting:'))).toHaveLength(1);
    expect(h.airflow.triggers).toHaveLength(1);

    await freeFirstSlot();
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-1', 'SCR-2']);
    expect(h.jira.ticket('SCR-2')).toMatchObject({ runStatus: 'queued' });
    expect(h.jira.ticket('SCR-3')).toMatchObject({ runStatus: 'waiting' });
  });

  it('keeps the order the requests came in, not the order their records were made (a crash between a waiting write and its record)', async () => {
    h = await passDeps({ file: { environments: { dev: { maxInFlight: 1 }, staging: {}, prod: {} } } });
    const at = (seconds: number): string => new Date(START.getTime() + seconds * 1_000).toISOString();
    h.jira.add(ticket('SCR-1'), ticket('SCR-3', { requestId: '10003', requestedAt: at(3) }));
    await pass();
    // SCR-2 came before SCR-3, but the daemon that saw it first died before it recorded it.
    h.jira.add(ticket('SCR-2', { requestId: '10002', requestedAt: at(2) }));
    await pass();
    const waiting = h.store().list({ states: ['waiting'] });
    expect(waiting.map((r) => [r.jiraIssueKey, r.requestedAt]).sort()).toEqual([
      ['SCR-2', at(2)],
      ['SCR-3', at(3)],
    ]);
    // SCR-3's record is the older one.
    expect(waiting.find((r) => r.jiraIssueKey === 'SCR-3')?.id).toBeLessThan(waiting.find((r) => r.jiraIssueKey === 'SCR-2')?.id ?? 0);

    await freeFirstSlot();
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-1', 'SCR-2']);
    expect(h.jira.ticket('SCR-3')).toMatchObject({ runStatus: 'waiting' });
  });

  it('at the same instant, the ticket made first goes first (tickets made in bulk share their times)', async () => {
    h = await passDeps({ file: { environments: { dev: { maxInFlight: 1 }, staging: {}, prod: {} } } });
    h.jira.add(ticket('SCR-1'), ticket('SCR-10', { requestId: '10010' }));
    await pass();
    h.jira.add(ticket('SCR-9', { requestId: '10009' }));
    await pass();
    await freeFirstSlot();
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-1', 'SCR-9']);
  });

  it('caps a source too', async () => {
    h = await passDeps({ file: { sources: { alfabeta: { maxInFlight: 2 }, quebec: {}, lafa: {} } } });
    h.jira.add(ticket('SCR-1'), ticket('SCR-2', { requestId: '10002' }), ticket('SCR-3', { requestId: '10003' }), ticket('SCR-4', { source: 'lafa' }));
    await pass();
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key).sort()).toEqual(['SCR-1', 'SCR-2', 'SCR-4']);
  });
});

describe('a ticket cancelled after its run ended', () => {
  it('keeps the real outcome, changes nothing in Airflow, and says so', async () => {
    h = await passDeps();
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.airflow.planResult(RUN1, { kind: 'found', value: { run_id: 'RUN-1', item_count: 3, error: null } });
    h.airflow.move(RUN1, 'success');
    h.clock.advance(10_000);
    h.jira.edit('SCR-1', { status: 'Cancelled' });
    await runPass(h.deps, { fullSweep: true });
    expect(h.airflow.stops).toEqual([]);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: 'Cancelled', runStatus: 'success' });
    expect(h.jira.commentsOn('SCR-1').at(-1)?.text).toContain('nothing was changed in Airflow');
  });
});

describe('a crash while a cancellation is sent but not confirmed', () => {
  it('finds the run failed after the restart, knows it was its own stop, and comments once that Airflow confirmed it', async () => {
    h = await passDeps();
    h.jira.add(ticket('SCR-1'));
    await pass();
    h.clock.advance(10_000);
    h.jira.edit('SCR-1', { status: 'Cancelled' });
    // The stop lands in Airflow, then the answer is lost (the process dies, or the network does).
    const stop = h.airflow.stopDagRun.bind(h.airflow);
    h.airflow.stopDagRun = async (dagId, dagRunId) => {
      await stop(dagId, dagRunId);
      throw new Error('socket hang up');
    };
    await expect(pass()).rejects.toThrow('socket hang up');
    expect(h.airflow.run(RUN1).state).toBe('failed');
    expect(h.store().latestForIssue('SCR-1')?.state).toBe('queued');

    h.airflow.stopDagRun = stop;
    await runPass(h.deps, { fullSweep: true });
    const cancelled = h.jira.commentsOn('SCR-1').filter((c) => c.marker.startsWith('cancelled:'));
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]?.text).toContain('Airflow confirmed it');
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: 'Cancelled', runStatus: 'cancelled' });
  });
});

describe('a run that had already ended when the daemon first saw it (CONTRACT §3.8)', () => {
  it('gets one outcome comment naming the DAG and the run id, and no late started comment', async () => {
    h = await passDeps();
    h.jira.add(ticket('SCR-1'));
    h.airflow.seedRun('scraper_alfabeta', RUN1, { jira_issue_key: 'SCR-1', source: 'alfabeta', run_type: 'DELTA', params: { limit: 100 }, environment: 'dev' }, 'success');
    h.airflow.planResult(RUN1, { kind: 'found', value: { run_id: 'RUN-9', item_count: 7, error: null } });
    await pass();
    const markers = h.jira.commentsOn('SCR-1').map((c) => c.marker);
    expect(markers).toEqual([`finished:${RUN1}`]);
    expect(h.jira.commentsOn('SCR-1')[0]?.text).toContain(`DAG scraper_alfabeta, run id ${RUN1}`);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: COMPLETED, airflowRunId: RUN1, platformRunId: 'RUN-9' });
  });
});
