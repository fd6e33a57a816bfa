import { describe, expect, it } from 'vitest';
import type { SimDagRun } from '../../src/sandbox/airflow/index.js';
import { duplicateMarkers, featureCli, killOnceApplied, marked, runIdsOf, waitFor, type Daemon } from './features-helpers.js';
import { COMPLETED, readyTicket, view } from './tickets.js';
import { TIMING, useWorld, type World } from './world.js';

const CONFIG = `environments:
  dev: {}
  staging:
    maxInFlight: 1
  prod: {}
watchdog:
  queuedMinutes: 5
`;
const RUN_MS = TIMING.queuedMs + TIMING.runningMs + 1_000;

/** Kills the daemon once Jira has applied the first write (edit or comment) to `key`, before it answers. */
function killOnWrite(world: World, key: string, start: () => Promise<Daemon>, what: string): Promise<void> {
  const path = new RegExp(`/issue/${key}(/comment)?$`);
  return killOnceApplied(world.jira.faults, [{ method: 'PUT', path }, { method: 'POST', path }], start, what);
}

/** Whether two runs of the capped environment were ever in flight at once (sim start and end times). */
function overlapping(runs: readonly SimDagRun[]): string[] {
  const spans = runs.map((run) => ({ id: run.dagRunId, from: run.queuedAt, to: run.endDate ?? Number.POSITIVE_INFINITY }));
  return spans.flatMap((a, i) => spans.slice(i + 1).filter((b) => a.from < b.to && b.from < a.to).map((b) => `${a.id} and ${b.id}`));
}

describe.each(['v1', 'v2'] as const)('operating guards across SIGKILLs of the daemon (Airflow %s)', (apiVersion) => {
  const key = { capped: ['', '', ''], stuck: '' };
  const world = useWorld({ apiVersion }, (world) => {
    key.capped = [0, 1, 2].map(() => readyTicket(world.jira, { source: 'quebec', environment: 'staging' }));
    key.stuck = readyTicket(world.jira, { source: 'alfabeta', environment: 'dev' });
  });
  const reconciler = featureCli(world, () => world.configFile('guards-kill.yaml', CONFIG));
  const runs = (issue: string): string[] => runIdsOf(world.airflow.runs(), issue);

  it('killed at the waiting write and at the stuck comment: the queue keeps its order and the cap, one comment of each', async () => {
    const [first, second, third] = key.capped as [string, string, string];
    await killOnWrite(world, second, () => reconciler.daemon(), 'at the waiting write');

    let daemon = await reconciler.daemon();
    const queue = (): string =>
      JSON.stringify({
        runs: [first, key.stuck].map((k) => runs(k).length),
        waiting: [second, third].map((k) => marked(world.jira, k, 'waiting:').length),
        stuck: view(world.jira, key.stuck).runStatus,
      });
    await waitFor('the queue after the restart', () => queue() === JSON.stringify({ runs: [1, 1], waiting: [1, 1], stuck: 'queued' }), 30_000).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${queue()}`);
    });
    // A pass that ends after the writes were seen: the daemon has recorded them too.
    await daemon.morePasses();
    await daemon.kill();
    // Paused after the trigger (a paused DAG refuses new runs): its run stays queued, and the watchdog has something to say.
    world.airflow.setPaused('scraper_alfabeta', true);
    expect(runs(second)).toEqual([]);
    expect(runs(third)).toEqual([]);

    // Past the watchdog's limit on the reconciler's clock: the restarted daemon comments, and dies as Jira applies it.
    world.advance(6 * 60_000);
    await killOnWrite(world, key.stuck, () => reconciler.daemon(), 'at the stuck comment');
    expect(marked(world.jira, key.stuck, 'stuck:')).toHaveLength(1);

    // Unpaused, and time moves on: each capped ticket starts only as the one before ends, in the order they came.
    world.airflow.setPaused('scraper_alfabeta', false);
    daemon = await reconciler.daemon();
    for (const [issue, next] of [
      [first, second],
      [second, third],
    ] as const) {
      world.advance(RUN_MS);
      await waitFor(`${next} to start after ${issue} ended`, () => runs(next).length === 1, 30_000).catch((error: unknown) => {
        const state = world.airflow.runs().map((run) => `${run.dagRunId} ${run.state}`);
        throw new Error(`${String(error)}: ${JSON.stringify({ ticket: view(world.jira, issue), next: view(world.jira, next), state })}\n${daemon.process.lines.slice(-15).join('\n')}`);
      });
    }
    world.advance(RUN_MS);
    await waitFor('every ticket completed', () => [...key.capped, key.stuck].every((k) => world.jira.issue(k).status === COMPLETED), 30_000);
    await daemon.morePasses();
    expect(await daemon.stop()).toBe(0);

    const staging = world.airflow.runs().filter((run) => run.conf.environment === 'staging');
    expect(staging).toHaveLength(3);
    expect(overlapping(staging)).toEqual([]);
    expect(staging.map((run) => run.conf.jira_issue_key)).toEqual(key.capped);
    for (const issue of [...key.capped, key.stuck]) {
      expect({ issue, runs: runs(issue).length }).toEqual({ issue, runs: 1 });
      expect({ issue, duplicates: duplicateMarkers(world.jira, issue) }).toEqual({ issue, duplicates: [] });
    }
    for (const issue of [second, third]) expect(marked(world.jira, issue, 'waiting:')).toHaveLength(1);
    expect(marked(world.jira, key.stuck, 'stuck:')).toHaveLength(1);
  }, 150_000);
});
