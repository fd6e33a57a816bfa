import { describe, expect, it } from 'vitest';
import type { LoggedExchange } from '../../src/sandbox/common/request-log.js';
import { duplicateMarkers, featureCli, killOnceApplied, marked, runIdsOf, waitFor } from './features-helpers.js';
import { readyTicket, view } from './tickets.js';
import { SLOW_TEST_MS, TIMING, useWorld } from './world.js';

/** The writes Airflow got for one DAG run: its own PATCH and its task instances'. */
function writesTo(entries: readonly LoggedExchange[], dagRunId: string): string[] {
  return entries
    .filter((entry) => entry.method !== 'GET' && entry.path.includes(`/dagRuns/${encodeURIComponent(dagRunId)}`))
    .map((entry) => `${entry.method} ${entry.path.replace(/^.*\/dagRuns\/[^/]+/, '')}`);
}

describe.each(['v1', 'v2'] as const)('verified cancellation against an Airflow that overwrites the first stop (%s)', (apiVersion) => {
  const key = { running: '', ended: '' };
  const world = useWorld({ apiVersion, clobberFirstStop: true }, (world) => {
    key.running = readyTicket(world.jira, { source: 'quebec' });
    key.ended = readyTicket(world.jira, { source: 'lafa' });
  });
  const reconciler = featureCli(world, () => world.configFile('empty.yaml', '{}\n'));
  const runOf = (issue: string): { dagId: string; dagRunId: string } => {
    const run = world.airflow.runs().find((r) => r.conf.jira_issue_key === issue);
    if (!run) throw new Error(`no DAG run for ${issue}`);
    return run;
  };

  it('a cancelled running ticket has its run failed and its task failed, and the run stays failed', async () => {
    await reconciler.pass();
    world.advance(TIMING.queuedMs + 1_000);
    await reconciler.pass();
    const { dagId, dagRunId } = runOf(key.running);
    expect(world.airflow.run(dagId, dagRunId)?.state).toBe('running');

    world.jira.moveIssue(key.running, 'Cancelled');
    const summary = await reconciler.pass();

    expect(summary.cancelled).toBe(1);
    expect(writesTo(world.airflow.log.entries, dagRunId)).toEqual(['PATCH ', 'PATCH /taskInstances/run_pipeline']);
    // The scheduler's later loops (and the run's planned end) change nothing: the stop held.
    world.advance(TIMING.runningMs * 2);
    world.airflow.tick();
    expect(world.airflow.run(dagId, dagRunId)?.state).toBe('failed');
    // The other ticket's run ended meanwhile; a person cancels the ticket before the reconciler saw the end.
    world.jira.moveIssue(key.ended, 'Cancelled');
    await reconciler.pass();
    expect(world.airflow.run(dagId, dagRunId)?.state).toBe('failed');

    const ticket = view(world.jira, key.running);
    expect(ticket).toMatchObject({ status: 'Cancelled', runStatus: 'cancelled' });
    expect(marked(world.jira, key.running, 'cancelled:')).toHaveLength(1);
    expect(marked(world.jira, key.running, 'cancelled:')[0]).toMatch(/Airflow confirmed it/);
    expect(duplicateMarkers(world.jira, key.running)).toEqual([]);
  }, SLOW_TEST_MS);

  it('a ticket cancelled after its run ended changes nothing in Airflow and says how the run ended', () => {
    // Its run ended in the last test's time jump, before the pass that first saw the ticket cancelled.
    const { dagRunId } = runOf(key.ended);
    expect(writesTo(world.airflow.log.entries, dagRunId)).toEqual([]);
    expect(world.airflow.run('scraper_lafa', dagRunId)?.state).toBe('success');
    // The ticket stays where the person put it and tells the run's real outcome, once.
    expect(view(world.jira, key.ended)).toMatchObject({ status: 'Cancelled', runStatus: 'success' });
    expect(marked(world.jira, key.ended, `finished:${dagRunId}`)).toHaveLength(1);
    expect(marked(world.jira, key.ended, `finished:${dagRunId}`)[0]).toMatch(/Airflow run succeeded/);
    expect(marked(world.jira, key.ended, 'cancelled:')).toHaveLength(0);
    expect(duplicateMarkers(world.jira, key.ended)).toEqual([]);
  });

  it('a daemon SIGKILLed once its stop reached Airflow, before it was confirmed: the restart stops it again, one comment', async () => {
    const killed = readyTicket(world.jira, { source: 'alfabeta' });
    await reconciler.pass();
    world.advance(TIMING.queuedMs + 1_000);
    await reconciler.pass();
    const { dagId, dagRunId } = runOf(killed);
    expect(world.airflow.run(dagId, dagRunId)?.state).toBe('running');

    world.jira.moveIssue(killed, 'Cancelled');
    await killOnceApplied(world.airflow.faults, [{ method: 'PATCH', path: `/api/${apiVersion}/dags/${dagId}/dagRuns/${encodeURIComponent(dagRunId)}` }], () => reconciler.daemon(), 'once the stop was applied');
    expect(marked(world.jira, killed, 'cancelled:')).toHaveLength(0);

    const daemon = await reconciler.daemon();
    await waitFor('the cancelled comment', () => marked(world.jira, killed, 'cancelled:').length === 1, 30_000);
    await daemon.morePasses();
    expect(await daemon.stop()).toBe(0);

    // Airflow overwrote the first stop; the restarted daemon sent it again and read it back.
    world.advance(TIMING.runningMs * 2);
    world.airflow.tick();
    expect(world.airflow.run(dagId, dagRunId)?.state).toBe('failed');
    expect(runIdsOf(world.airflow.runs(), killed)).toEqual([dagRunId]);
    expect(view(world.jira, killed)).toMatchObject({ status: 'Cancelled', runStatus: 'cancelled' });
    expect(marked(world.jira, killed, 'cancelled:')[0]).toMatch(/Airflow confirmed it/);
    expect(duplicateMarkers(world.jira, killed)).toEqual([]);
  }, 120_000);
});
