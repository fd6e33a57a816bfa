import { describe, expect, it } from 'vitest';
import { PERSON } from '../../src/sandbox/jira/model.js';
import { duplicateMarkers, featureCli, marked, runIdsOf, waitFor, type Daemon } from './features-helpers.js';
import { COMPLETED, readyMoveId, readyTicket, view } from './tickets.js';
import { TIMING, UPSTREAM_MATRIX, useWorld, type World } from './world.js';


const RUN_MS = TIMING.queuedMs + TIMING.runningMs + 1_000;
/** Search shows the tickets as they were this long ago: a process restarted at once still sees the old request in Ready to Run. */
const SEARCH_LAG_MS = 30_000;
const TEST_MS = 120_000;

interface RunsRow {
  request_id: string;
  attempt: number;
  airflow_dag_run_id: string | null;
  state: string;
}

/** The ticket's status changes in order, each with who made it (the person, or the daemon's own account). */
function statusMoves(world: World, key: string): string[] {
  return world.jira.issue(key).histories.flatMap((history) =>
    history.items
      .filter((item) => item.fieldId === 'status')
      .map((item) => `${history.author.accountId === PERSON.accountId ? 'person' : 'daemon'}: ${item.toString ?? ''}`),
  );
}

/**
 * Arms the answer to the move that finishes `key` to be lost: Jira applies it, a person moves the ticket
 * back to Ready to Run (a re-run), then `andThen` (a SIGKILL of the daemon, say) runs and the answer is dropped.
 */
function loseFinalMove(world: World, key: string, andThen: () => Promise<void> = () => Promise.resolve()): { fired: () => boolean } {
  return loseMove(world, key, 'Ready to Run', andThen);
}

/** Loses the answer to the next move of `key`: Jira applies it, a person moves the ticket to `status`, then `andThen` runs. */
function loseMove(world: World, key: string, status: string, andThen: () => Promise<void> = () => Promise.resolve()): { fired: () => boolean } {
  return world.jira.faults.onRequest({
    match: { method: 'POST', path: new RegExp(`/issue/${key}/transitions$`) },
    stage: 'applied',
    run: async () => {
      world.jira.moveIssue(key, status);
      await andThen();
    },
    then: 'drop',
  });
}

/** The re-run got one run of its own, its comments and its final status; the first request was finished once. */
async function expectRerunDone(world: World, key: string, firstRunId: string, running = false): Promise<void> {
  const rerunId = `jira__${key}__${readyMoveId(world.jira, key)}`;
  expect(rerunId).not.toBe(firstRunId);
  expect(runIdsOf(world.airflow.runs(), key)).toEqual([firstRunId, rerunId]);
  expect(view(world.jira, key)).toMatchObject({ status: COMPLETED, runStatus: 'success', airflowRunId: rerunId });
  const request = ['person: Ready to Run', ...(running ? ['daemon: Running'] : []), 'daemon: Completed'];
  expect(statusMoves(world, key)).toEqual([...request, ...request]);
  for (const runId of [firstRunId, rerunId]) {
    expect({ runId, started: marked(world.jira, key, `started:${runId}`).length }).toEqual({ runId, started: 1 });
    expect({ runId, finished: marked(world.jira, key, `finished:${runId}`).length }).toEqual({ runId, finished: 1 });
  }
  expect(world.jira.comments(key)).toHaveLength(4);
  expect(duplicateMarkers(world.jira, key)).toEqual([]);
  const runs = await world.cli(['runs', '--json', '--issue', key]);
  expect(runs.code, runs.stderr).toBe(0);
  expect(
    runs
      .json<RunsRow[]>()
      .map((row) => [row.attempt, row.airflow_dag_run_id, row.state])
      .sort(),
  ).toEqual([
    [1, firstRunId, 'success'],
    [2, rerunId, 'success'],
  ]);
}

describe.each(UPSTREAM_MATRIX)('a re-run placed while the answer to the final move is lost (Jira $jira, Airflow $airflow)', ({ jira: jiraDeployment, airflow: apiVersion }) => {
  describe('the daemon repeats the move in the same process', () => {
    const world = useWorld({ jiraDeployment, apiVersion });
    const reconciler = featureCli(world, () => world.configFile('plain.yaml', '{}\n'));

    it('learns from the changelog that its move landed, leaves the re-run in Ready to Run, then runs it once', async () => {
      const key = readyTicket(world.jira);
      const firstRunId = `jira__${key}__${readyMoveId(world.jira, key)}`;
      await reconciler.pass();
      world.advance(RUN_MS);
      const lost = loseFinalMove(world, key);
      await reconciler.pass();
      expect(lost.fired()).toBe(true);
      // The person's re-run stands: the daemon did not move the ticket again.
      expect(view(world.jira, key).status).toBe('Ready to Run');
      expect(statusMoves(world, key)).toEqual(['person: Ready to Run', 'daemon: Completed', 'person: Ready to Run']);

      await reconciler.pass();
      world.advance(RUN_MS);
      await reconciler.pass();
      await expectRerunDone(world, key, firstRunId);
    }, TEST_MS);
  });

  describe('the daemon is SIGKILLed between the lost answer and the repeat', () => {
    const world = useWorld({ jiraDeployment, apiVersion, searchLagMs: SEARCH_LAG_MS });
    const reconciler = featureCli(world, () => world.configFile('plain.yaml', '{}\n'));

    it('the next process learns from the changelog that the move landed, and the re-run gets its run', async () => {
      const key = readyTicket(world.jira);
      const firstRunId = `jira__${key}__${readyMoveId(world.jira, key)}`;
      world.advance(SEARCH_LAG_MS + 1_000);
      await reconciler.pass();
      expect(runIdsOf(world.airflow.runs(), key)).toEqual([firstRunId]);
      world.advance(RUN_MS);

      // Armed before the daemon starts, so the move of its very first pass is caught.
      const target: { daemon?: Promise<Daemon> } = {};
      const lost = loseFinalMove(world, key, async () => (await target.daemon)?.kill());
      target.daemon = reconciler.daemon();
      const daemon = await target.daemon;
      await waitFor('the final move to be applied and its answer lost', () => lost.fired(), 30_000);
      await daemon.process.exited;
      expect(statusMoves(world, key)).toEqual(['person: Ready to Run', 'daemon: Completed', 'person: Ready to Run']);

      // Restarted at once: the search still shows the first request in Ready to Run.
      const restarted = await reconciler.pass();
      expect(restarted.triggered).toBe(0);
      expect(view(world.jira, key).status).toBe('Ready to Run');
      expect(statusMoves(world, key)).toEqual(['person: Ready to Run', 'daemon: Completed', 'person: Ready to Run']);

      world.advance(SEARCH_LAG_MS + 1_000);
      expect((await reconciler.pass()).triggered).toBe(1);
      world.advance(RUN_MS);
      await reconciler.pass();
      await expectRerunDone(world, key, firstRunId);
    }, TEST_MS);
  });

  describe('with a running status', () => {
    const world = useWorld({ jiraDeployment, apiVersion });
    const reconciler = featureCli(world, () => world.configFile('running.yaml', 'jira:\n  statuses:\n    running: Running\n'));

    it('a cancel made while the answer to the move to Running was lost is honoured; so is a re-run made while the final move\'s was', async () => {
      const cancelled = readyTicket(world.jira, { source: 'quebec' });
      const rerun = readyTicket(world.jira);
      const firstRunId = `jira__${rerun}__${readyMoveId(world.jira, rerun)}`;
      const lostStart = loseMove(world, cancelled, 'Cancelled');
      expect((await reconciler.pass()).triggered).toBe(2);
      expect(lostStart.fired()).toBe(true);
      expect(statusMoves(world, cancelled)).toEqual(['person: Ready to Run', 'daemon: Running', 'person: Cancelled']);

      const stopping = await reconciler.pass();
      expect(stopping.cancelled).toBe(1);
      const [stopped] = world.airflow.runs().filter((run) => run.conf.jira_issue_key === cancelled);
      expect(world.airflow.run(stopped!.dagId, stopped!.dagRunId)?.state).toBe('failed');
      expect(view(world.jira, cancelled)).toMatchObject({ status: 'Cancelled', runStatus: 'cancelled' });
      expect(marked(world.jira, cancelled, 'cancelled:')).toHaveLength(1);

      world.advance(RUN_MS);
      const lostEnd = loseFinalMove(world, rerun);
      await reconciler.pass();
      expect(lostEnd.fired()).toBe(true);
      expect(view(world.jira, rerun).status).toBe('Ready to Run');
      expect((await reconciler.pass()).triggered).toBe(1);
      world.advance(RUN_MS);
      await reconciler.pass();
      await expectRerunDone(world, rerun, firstRunId, true);
      expect(statusMoves(world, cancelled)).toEqual(['person: Ready to Run', 'daemon: Running', 'person: Cancelled']);
    }, TEST_MS);
  });
});
