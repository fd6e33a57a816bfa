import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { triggers } from './requests.js';
import { COMPLETED, readyTicket, view } from './tickets.js';
import { SLOW_TEST_MS, TIMING, useWorld } from './world.js';

describe('a state file deleted after the trigger', () => {
  const world = useWorld();

  it('adopts the existing DAG run on Airflow\'s 409: no second run, no duplicate comment, and the ticket still finishes', async () => {
    const key = readyTicket(world.jira, { source: 'lafa' });
    await world.pass();
    const dagRunId = view(world.jira, key).airflowRunId;
    expect(world.airflow.runs()).toHaveLength(1);

    for (const suffix of ['', '-wal', '-shm']) rmSync(`${world.db}${suffix}`, { force: true });
    const summary = await world.pass();

    const answers = triggers(world.airflow.log.entries).map((entry) => entry.status);
    expect(answers, 'the second trigger was refused as a duplicate').toEqual([200, 409]);
    expect(summary.adopted).toBe(1);
    expect(summary.triggered).toBe(0);
    expect(world.airflow.runs().map((run) => run.dagRunId)).toEqual([dagRunId]);
    expect(view(world.jira, key).comments).toHaveLength(1);

    world.advance(TIMING.queuedMs + TIMING.runningMs + 1_000);
    await world.pass();
    const ticket = view(world.jira, key);
    expect(ticket).toMatchObject({ status: COMPLETED, runStatus: 'success', airflowRunId: dagRunId });
    expect(ticket.comments).toHaveLength(2);
    expect(world.airflow.runs()).toHaveLength(1);
  }, SLOW_TEST_MS);
});
