import { describe, expect, it } from 'vitest';
import type { LoggedExchange } from '../../src/sandbox/common/request-log.js';
import { duplicateMarkers, featureCli, killOnceApplied, marked, runIdsOf, waitFor } from './features-helpers.js';
import { COMPLETED, readyTicket, view } from './tickets.js';
import { SLOW_TEST_MS, TIMING, useWorld } from './world.js';

const CONFIG = `jira:
  statuses:
    running: Running
`;
/** Enough sim time for a run to start and end. */
const RUN_MS = TIMING.queuedMs + TIMING.runningMs + 1_000;

/** The writes Jira got for one ticket, as `METHOD /suffix` after the issue key. */
function writesTo(entries: readonly LoggedExchange[], key: string): string[] {
  return entries
    .filter((entry) => entry.method !== 'GET' && entry.path.includes(`/issue/${key}`))
    .map((entry) => `${entry.method} ${entry.path.replace(/^.*\/issue\/[^/]+/, '')}`);
}

describe.each(['v1', 'v2'] as const)('jira.statuses.running through the built CLI (Airflow %s)', (apiVersion) => {
  const key = { done: '', cancelled: '', killedAtMove: '', killedAtEnd: '' };
  const world = useWorld({ apiVersion }, (world) => {
    key.done = readyTicket(world.jira, { source: 'alfabeta' });
    key.cancelled = readyTicket(world.jira, { source: 'quebec' });
  });
  const reconciler = featureCli(world, () => world.configFile('running.yaml', CONFIG));

  it('the trigger moves the ticket to Running, its fields and started comment in that one transition', async () => {
    world.jira.log.clear();
    const summary = await reconciler.pass();
    expect(summary.triggered).toBe(2);
    for (const issue of [key.done, key.cancelled]) {
      const [dagRunId] = runIdsOf(world.airflow.runs(), issue);
      expect(view(world.jira, issue)).toMatchObject({ status: 'Running', runStatus: 'queued', airflowRunId: dagRunId });
      expect(marked(world.jira, issue, `started:${dagRunId}`)).toHaveLength(1);
      // One write: the move carries the fields and the comment (no separate edit or comment POST).
      expect(writesTo(world.jira.log.entries, issue)).toEqual(['POST /transitions']);
    }
    // Ready to Run now holds only new requests: a pass with nothing new triggers nothing.
    expect((await reconciler.pass()).triggered).toBe(0);
    expect(world.airflow.runs()).toHaveLength(2);
  }, SLOW_TEST_MS);

  it('a ticket in Running follows its run and ends Completed from there', async () => {
    world.advance(TIMING.queuedMs + 1_000);
    await reconciler.pass();
    expect(view(world.jira, key.done)).toMatchObject({ status: 'Running', runStatus: 'running' });
    // The other ticket is cancelled by a person while its run runs.
    world.jira.moveIssue(key.cancelled, 'Cancelled');
    const cancelling = await reconciler.pass();
    expect(cancelling.cancelled).toBe(1);
    const [cancelledRun] = world.airflow.runs().filter((run) => run.conf.jira_issue_key === key.cancelled);
    expect(world.airflow.run(cancelledRun!.dagId, cancelledRun!.dagRunId)?.state).toBe('failed');
    expect(view(world.jira, key.cancelled)).toMatchObject({ status: 'Cancelled', runStatus: 'cancelled' });
    expect(marked(world.jira, key.cancelled, 'cancelled:')).toHaveLength(1);

    world.advance(RUN_MS);
    await reconciler.pass();
    const [dagRunId] = runIdsOf(world.airflow.runs(), key.done);
    expect(view(world.jira, key.done)).toMatchObject({ status: COMPLETED, runStatus: 'success', airflowRunId: dagRunId });
    expect(marked(world.jira, key.done, `finished:${dagRunId}`)).toHaveLength(1);
    for (const issue of [key.done, key.cancelled]) expect(duplicateMarkers(world.jira, issue)).toEqual([]);
  }, SLOW_TEST_MS);

  it('a re-run goes through Ready to Run again: a new run, and Running again', async () => {
    world.jira.moveIssue(key.done, 'Ready to Run');
    await reconciler.pass();
    const ids = runIdsOf(world.airflow.runs(), key.done);
    expect(ids).toHaveLength(2);
    expect(view(world.jira, key.done)).toMatchObject({ status: 'Running', runStatus: 'queued', airflowRunId: ids[1] });
    world.advance(RUN_MS);
    await reconciler.pass();
    expect(view(world.jira, key.done)).toMatchObject({ status: COMPLETED, airflowRunId: ids[1] });
    expect(marked(world.jira, key.done, `finished:${ids[1]}`)).toHaveLength(1);
    expect(duplicateMarkers(world.jira, key.done)).toEqual([]);
  }, SLOW_TEST_MS);

  it('a daemon SIGKILLed once the move to Running is applied, and once the final move is: one run, one of each comment', async () => {
    key.killedAtMove = readyTicket(world.jira, { source: 'lafa' });
    key.killedAtEnd = readyTicket(world.jira, { source: 'alfabeta' });
    // Jira applies the move to Running, then the daemon dies before it hears the answer.
    await killOnceApplied(world.jira.faults, [{ method: 'POST', path: `/rest/api/3/issue/${key.killedAtMove}/transitions` }], () => reconciler.daemon(), 'at the move to Running');
    expect(world.jira.issue(key.killedAtMove).status).toBe('Running');

    let daemon = await reconciler.daemon();
    await waitFor('both tickets in Running', () => [key.killedAtMove, key.killedAtEnd].every((k) => world.jira.issue(k).status === 'Running'), 30_000);
    // The final move from Running is applied, then the daemon dies again.
    const atEnd = killOnceApplied(world.jira.faults, [{ method: 'POST', path: `/rest/api/3/issue/${key.killedAtEnd}/transitions` }], daemon, 'at the final move');
    world.advance(RUN_MS);
    await atEnd;

    daemon = await reconciler.daemon();
    await waitFor('both tickets completed', () => [key.killedAtMove, key.killedAtEnd].every((k) => world.jira.issue(k).status === COMPLETED), 30_000);
    await daemon.morePasses();
    expect(await daemon.stop()).toBe(0);

    for (const issue of [key.killedAtMove, key.killedAtEnd]) {
      const ids = runIdsOf(world.airflow.runs(), issue);
      expect(ids).toHaveLength(1);
      expect(view(world.jira, issue)).toMatchObject({ status: COMPLETED, runStatus: 'success', airflowRunId: ids[0] });
      expect(marked(world.jira, issue, `started:${ids[0]}`)).toHaveLength(1);
      expect(marked(world.jira, issue, `finished:${ids[0]}`)).toHaveLength(1);
      expect(duplicateMarkers(world.jira, issue)).toEqual([]);
    }
  }, 150_000);
});
