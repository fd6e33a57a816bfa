import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { duplicateMarkers, featureCli, marked, runIdsOf, waitFor } from './features-helpers.js';
import { COMPLETED, FAILED, readyTicket, view } from './tickets.js';
import { SLOW_TEST_MS, TIMING, useWorld, type World } from './world.js';

const CONFIG = `retry:
  attempts: 3
  delaySeconds: 60
  when: ["HTTP 50[23]"]
`;
const PORTAL_DOWN = 'HTTP 503 from the alfabeta portal';
/** Enough sim time for a run to start and end. */
const RUN_MS = TIMING.queuedMs + TIMING.runningMs + 1_000;

function failOnce(world: World, key: string, errorText: string): void {
  world.airflow.plan({ confMatch: { jira_issue_key: key } }, { state: 'failed', errorText }, { times: 1 });
}

describe.each(['v1', 'v2'] as const)('automatic retries through the built CLI (Airflow %s)', (apiVersion) => {
  const key = { retried: '', notMatching: '', stateLost: '', killed: '' };
  const world = useWorld({ apiVersion }, (world) => {
    key.retried = readyTicket(world.jira, { source: 'alfabeta' });
    key.notMatching = readyTicket(world.jira, { source: 'quebec' });
    failOnce(world, key.retried, PORTAL_DOWN);
    failOnce(world, key.notMatching, 'KeyError: price column missing');
  });
  const reconciler = featureCli(world, () => world.configFile('retry.yaml', CONFIG));

  it('a failure matching `when` gets one retry comment and Run Status queued, and waits for its due time', async () => {
    await reconciler.pass();
    world.advance(RUN_MS);
    await reconciler.pass();

    const [firstId] = runIdsOf(world.airflow.runs(), key.retried);
    expect(view(world.jira, key.retried)).toMatchObject({ status: 'Ready to Run', runStatus: 'queued', airflowRunId: `${firstId}__a2` });
    expect(marked(world.jira, key.retried, 'retry:')).toHaveLength(1);
    expect(marked(world.jira, key.retried, 'retry:')[0]).toMatch(/attempt 2 of 3/);
    expect(marked(world.jira, key.retried, 'retry:')[0]).toContain(PORTAL_DOWN);
    expect(runIdsOf(world.airflow.runs(), key.retried)).toEqual([firstId]);

    // Not due yet (60 s on the reconciler's clock): a pass starts nothing.
    world.advance(30_000);
    await reconciler.pass();
    expect(runIdsOf(world.airflow.runs(), key.retried)).toHaveLength(1);
  }, SLOW_TEST_MS);

  it('a failure that does not match `when` is not retried: Failed - Needs Investigation at once', () => {
    const ticket = view(world.jira, key.notMatching);
    expect(ticket).toMatchObject({ status: FAILED, runStatus: 'failed' });
    expect(marked(world.jira, key.notMatching, 'retry:')).toHaveLength(0);
    expect(runIdsOf(world.airflow.runs(), key.notMatching)).toHaveLength(1);
  });

  it('once due, the retry runs as <first id>__a2 and the ticket ends Completed with one of each comment', async () => {
    world.advance(31_000);
    await reconciler.pass();
    const [firstId, secondId] = runIdsOf(world.airflow.runs(), key.retried);
    expect(secondId).toBe(`${firstId}__a2`);
    world.advance(RUN_MS);
    await reconciler.pass();
    await reconciler.pass();

    expect(runIdsOf(world.airflow.runs(), key.retried)).toEqual([firstId, `${firstId}__a2`]);
    expect(view(world.jira, key.retried)).toMatchObject({ status: COMPLETED, runStatus: 'success', airflowRunId: `${firstId}__a2` });
    expect(marked(world.jira, key.retried, 'retry:')).toHaveLength(1);
    expect(marked(world.jira, key.retried, `finished:${firstId}__a2`)).toHaveLength(1);
    expect(duplicateMarkers(world.jira, key.retried)).toEqual([]);
  }, SLOW_TEST_MS);

  it('the state file deleted while a retry is due: the attempt is rebuilt from Airflow, no second __a2', async () => {
    key.stateLost = readyTicket(world.jira, { source: 'alfabeta' });
    failOnce(world, key.stateLost, PORTAL_DOWN);
    await reconciler.pass();
    world.advance(RUN_MS);
    await reconciler.pass();
    expect(marked(world.jira, key.stateLost, 'retry:')).toHaveLength(1);

    for (const suffix of ['', '-wal', '-shm']) rmSync(`${world.db}${suffix}`, { force: true });
    world.advance(61_000);
    await reconciler.pass();
    await reconciler.pass();
    const [firstId, ...rest] = runIdsOf(world.airflow.runs(), key.stateLost);
    expect(rest).toEqual([`${firstId}__a2`]);
    world.advance(RUN_MS);
    await reconciler.pass();

    expect(runIdsOf(world.airflow.runs(), key.stateLost)).toEqual([firstId, `${firstId}__a2`]);
    expect(view(world.jira, key.stateLost)).toMatchObject({ status: COMPLETED, runStatus: 'success' });
    expect(marked(world.jira, key.stateLost, 'retry:')).toHaveLength(1);
    expect(duplicateMarkers(world.jira, key.stateLost)).toEqual([]);
    // The tickets finished before the loss are left as they were.
    expect(view(world.jira, key.retried).status).toBe(COMPLETED);
    expect(runIdsOf(world.airflow.runs(), key.retried)).toHaveLength(2);
  }, SLOW_TEST_MS);

  it('a daemon SIGKILLed while a retry is due, then restarted: one __a2 run and one retry comment', async () => {
    key.killed = readyTicket(world.jira, { source: 'quebec' });
    failOnce(world, key.killed, 'HTTP 502 from the quebec catalogue');
    let daemon = await reconciler.daemon();
    await waitFor('the trigger', () => runIdsOf(world.airflow.runs(), key.killed).length === 1);
    world.advance(RUN_MS);
    await waitFor('the retry comment', () => marked(world.jira, key.killed, 'retry:').length === 1, 30_000);
    await daemon.kill();
    expect(runIdsOf(world.airflow.runs(), key.killed)).toHaveLength(1);

    // Past the due time on the reconciler's clock: the restarted daemon starts the retry.
    world.advance(90_000);
    daemon = await reconciler.daemon();
    await waitFor('the retry run', () => runIdsOf(world.airflow.runs(), key.killed).length === 2, 30_000);
    world.advance(RUN_MS);
    await waitFor('the ticket to complete', () => world.jira.issue(key.killed).status === COMPLETED, 30_000);
    await daemon.morePasses();
    expect(await daemon.stop()).toBe(0);

    const [firstId, ...rest] = runIdsOf(world.airflow.runs(), key.killed);
    expect(rest).toEqual([`${firstId}__a2`]);
    expect(marked(world.jira, key.killed, 'retry:')).toHaveLength(1);
    expect(view(world.jira, key.killed)).toMatchObject({ runStatus: 'success', airflowRunId: `${firstId}__a2` });
    expect(duplicateMarkers(world.jira, key.killed)).toEqual([]);
  }, 120_000);
});
