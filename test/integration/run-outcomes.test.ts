import { describe, expect, it } from 'vitest';
import { COMPLETED, FAILED, readyTicket, view } from './tickets.js';
import { TIMING, useWorld, type World } from './world.js';

const PIPELINE_ERROR = 'HTTP 503 from the quebec catalogue after 5 retries';

// One world, one story told in passes: each test moves the clock and runs the next pass.
describe('how runs end: DAG unavailable, cancelled, failed, result missing or malformed', () => {
  const key = { paused: '', missingDag: '', cancelled: '', failed: '', noResult: '', badResult: '' };

  const world = useWorld({}, (world) => {
    world.airflow.setPaused('scraper_lafa', true);
    world.airflow.removeDag('scraper_alfabeta');
    key.paused = readyTicket(world.jira, { source: 'lafa' });
    key.missingDag = readyTicket(world.jira, { source: 'alfabeta' });
    key.cancelled = readyTicket(world.jira, { source: 'quebec' });
    key.failed = readyTicket(world.jira, { source: 'quebec' });
    key.noResult = readyTicket(world.jira, { source: 'quebec' });
    key.badResult = readyTicket(world.jira, { source: 'quebec' });
    const plan = (issue: string, outcome: Parameters<World['airflow']['plan']>[1]): void =>
      world.airflow.plan({ confMatch: { jira_issue_key: issue } }, outcome);
    plan(key.failed, { state: 'failed', result: { run_id: null, item_count: 0, error: PIPELINE_ERROR } });
    plan(key.noResult, { state: 'success', result: 'missing' });
    plan(key.badResult, { state: 'success', result: 'malformed' });
  });

  it('a paused DAG and a missing DAG fail their tickets with a comment saying which, and start no run', async () => {
    const summary = await world.pass();

    expect(summary.triggered).toBe(4);
    expect(world.airflow.runs().map((run) => run.conf.jira_issue_key)).not.toContain(key.paused);
    expect(world.airflow.runs().map((run) => run.conf.jira_issue_key)).not.toContain(key.missingDag);
    const paused = view(world.jira, key.paused);
    expect(paused).toMatchObject({ status: FAILED, runStatus: 'failed' });
    expect(paused.comments).toHaveLength(1);
    expect(paused.comments[0]).toMatch(/scraper_lafa is paused/);
    const missing = view(world.jira, key.missingDag);
    expect(missing).toMatchObject({ status: FAILED, runStatus: 'failed' });
    expect(missing.comments).toHaveLength(1);
    expect(missing.comments[0]).toMatch(/scraper_alfabeta does not exist/);
  });

  it('a ticket cancelled while its run is running has the run stopped, Run Status cancelled, and stays Cancelled', async () => {
    world.advance(TIMING.queuedMs + 1_000);
    await world.pass();
    const dagRunId = view(world.jira, key.cancelled).airflowRunId!;
    expect(world.airflow.run('scraper_quebec', dagRunId)?.state).toBe('running');

    world.jira.moveIssue(key.cancelled, 'Cancelled');
    const summary = await world.pass();

    expect(summary.cancelled).toBe(1);
    expect(world.airflow.run('scraper_quebec', dagRunId)?.state).toBe('failed');
    const ticket = view(world.jira, key.cancelled);
    expect(ticket).toMatchObject({ status: 'Cancelled', runStatus: 'cancelled' });
    expect(ticket.comments.at(-1)).toContain('stopped');
  });

  it('a failed DAG run moves the ticket to Failed - Needs Investigation with Run Status failed and the error text', async () => {
    world.advance(TIMING.runningMs);
    const summary = await world.pass();

    expect(summary.finished).toBe(3);
    const ticket = view(world.jira, key.failed);
    expect(ticket).toMatchObject({ status: FAILED, runStatus: 'failed' });
    expect(ticket.comments).toHaveLength(2);
    expect(ticket.comments[1]).toContain(PIPELINE_ERROR);
    expect(view(world.jira, key.cancelled).status).toBe('Cancelled');
  });

  it('a run that left no result still completes the ticket, and the comment says the result is missing', () => {
    const ticket = view(world.jira, key.noResult);
    expect(ticket).toMatchObject({ status: COMPLETED, runStatus: 'success', platformRunId: null });
    expect(ticket.comments).toHaveLength(2);
    expect(ticket.comments[1]).toMatch(/left no result/);
  });

  it('a run with a malformed result still completes the ticket, and the comment says the result is malformed', () => {
    const ticket = view(world.jira, key.badResult);
    expect(ticket).toMatchObject({ status: COMPLETED, runStatus: 'success' });
    expect(ticket.comments).toHaveLength(2);
    expect(ticket.comments[1]).toMatch(/malformed/);
  });
});
