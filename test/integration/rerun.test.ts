import { describe, expect, it } from 'vitest';
import { COMPLETED, readyMoveId, readyTicket, view } from './tickets.js';
import { SLOW_TEST_MS, TIMING, useWorld } from './world.js';

interface RunsRow {
  jira_issue_key: string;
  request_id: string;
  attempt: number;
  airflow_dag_run_id: string | null;
  state: string;
}

describe('a ticket moved back to Ready to Run after it finished', () => {
  const world = useWorld();

  it('is a new request: a second DAG run with a new id, recorded as attempt 2', async () => {
    const key = readyTicket(world.jira, { source: 'quebec' });
    const firstRunId = `jira__${key}__${readyMoveId(world.jira, key)}`;
    await world.pass();
    world.advance(TIMING.queuedMs + TIMING.runningMs + 1_000);
    await world.pass();
    expect(view(world.jira, key)).toMatchObject({ status: COMPLETED, airflowRunId: firstRunId });

    world.jira.moveIssue(key, 'Ready to Run');
    const secondRunId = `jira__${key}__${readyMoveId(world.jira, key)}`;
    const summary = await world.pass();

    expect(secondRunId).not.toBe(firstRunId);
    expect(summary.triggered).toBe(1);
    expect(world.airflow.runs().map((run) => run.dagRunId)).toEqual([firstRunId, secondRunId]);
    const ticket = view(world.jira, key);
    expect(ticket).toMatchObject({ status: 'Ready to Run', runStatus: 'queued', airflowRunId: secondRunId });
    expect(ticket.comments).toHaveLength(3);
    expect(ticket.comments[2]).toContain(secondRunId);

    const runs = await world.cli(['runs', '--json', '--issue', key]);
    expect(runs.code).toBe(0);
    const rows = runs.json<RunsRow[]>();
    expect(rows.map((row) => [row.attempt, row.airflow_dag_run_id, row.state]).sort()).toEqual([
      [1, firstRunId, 'success'],
      [2, secondRunId, 'queued'],
    ]);
  }, SLOW_TEST_MS);
});
